"""Hotline 12345: a work-order platform for a citizen service hotline."""

__version__ = "0.1.0"
