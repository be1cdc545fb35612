#!/usr/bin/env python
"""Django's manage.py; ``hotline`` (the console script) does the same."""

from hotline.cli import main

if __name__ == "__main__":
    main()
