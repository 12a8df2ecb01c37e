"""Multilingual publishing and translation workflow: sources to gettext catalogs to EPUB."""

__version__ = "0.1.0"
