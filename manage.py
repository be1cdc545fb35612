#!/usr/bin/env python
"""Django's manage.py for developers: like the ``hotline`` command, but DEBUG defaults to on.

Deployments use ``hotline`` (the console script), where DEBUG defaults to off and SECRET_KEY is
required.
"""

import os

from hotline.cli import main

if __name__ == "__main__":
    os.environ.setdefault("DEBUG", "true")
    main()
