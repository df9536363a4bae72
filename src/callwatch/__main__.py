"""Allow ``python -m callwatch``."""

from callwatch.cli import main

main()
