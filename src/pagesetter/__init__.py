"""pagesetter: Chinese newspaper pages from a YAML layout spec to print-faithful PDF."""
__version__ = "0.1.0"
