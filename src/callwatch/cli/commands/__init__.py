"""One module per command; each registers itself on :data:`callwatch.cli.app.app`."""
