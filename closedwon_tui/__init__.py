"""closedwon: the sales pipeline in your terminal."""

__version__ = "0.1.0"
