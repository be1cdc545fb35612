"""Loading the ``open311`` client package (PyPI ``open311==1.1``, Code for America, 2011).

It installs on Python 3.11 but cannot be imported: it is Python 2 code.

- ``open311/__init__.py`` says ``from open311 import Open311`` meaning the sibling module
  ``open311/open311.py`` (a Python 2 implicit relative import); Python 3 reads it as the package
  itself and fails with "cannot import name 'Open311' from partially initialized module".
- ``open311.py`` imports ``from api import API`` and ``from api.api import urlopen, urlencode``,
  ``api/__init__.py`` ``from api import API``, ``api/api.py`` ``from xml2dict import xml2dict`` and
  ``xml2dict/xml2dict.py`` ``from object_dict import object_dict``: the same Python 2 imports.
- ``post_service_request`` hands ``urlopen`` the form as a ``str``; Python 3 wants ``bytes``
  ("POST data should be bytes").
- Its XML parser calls ``Element.getchildren()``, removed in Python 3.9, so only ``format='json'``
  works; and ``service_definition`` asks for ``service/CODE`` where the spec (and every server)
  has ``services/CODE``.

The client code itself is used unchanged: its modules are loaded from the installed files under
the top-level names their Python 2 imports expect (``api``, ``xml2dict``, ``object_dict``), and
its module-level ``urlopen`` is given the form as UTF-8 bytes — exactly what the Python 2
``urllib2.urlopen`` sent on the wire.
"""

from __future__ import annotations

import importlib.util
import sys
import types
from pathlib import Path
from typing import Any
from urllib.request import urlopen

_NAMES = ("object_dict", "xml2dict", "xml2dict.xml2dict", "api", "api.api", "_open311_client")


def _load(name: str, path: Path, package: bool = False) -> types.ModuleType:
    spec = importlib.util.spec_from_file_location(
        name, path, submodule_search_locations=[str(path.parent)] if package else None
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _urlopen_bytes(url: str, data: Any = None, *args: Any, **kwargs: Any) -> Any:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return urlopen(url, data, *args, **kwargs)


def open311_class() -> type:
    """The package's ``Open311`` class, loaded as Python 2 would have loaded it."""
    spec = importlib.util.find_spec("open311")
    assert spec is not None and spec.origin is not None, "pip install open311==1.1"
    root = Path(spec.origin).parent
    saved = {name: sys.modules.get(name) for name in _NAMES}
    try:
        _load("object_dict", root / "api" / "xml2dict" / "object_dict.py")
        _load("xml2dict", root / "api" / "xml2dict" / "__init__.py", package=True)
        # The package ``api`` without running its __init__ (whose only line is the broken import).
        api = types.ModuleType("api")
        api.__path__ = [str(root / "api")]
        sys.modules["api"] = api
        api_api = _load("api.api", root / "api" / "api.py")
        api_api.urlopen = _urlopen_bytes  # type: ignore[attr-defined]
        api.API = api_api.API  # type: ignore[attr-defined]
        api.api = api_api  # type: ignore[attr-defined]
        client = _load("_open311_client", root / "open311.py")
        client.urlopen = _urlopen_bytes  # type: ignore[attr-defined]
        return client.Open311
    finally:
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module
