"""One module per command; each registers itself on :data:`callwatch.app.app`."""
