"""callwatch: keep track of funding calls, their deadlines and who qualifies."""

__version__ = "0.1.0"
