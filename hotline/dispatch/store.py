"""Versioned model files under the data directory.

Layout: ``DATA_DIR/models/dispatch/<version>/`` holds ``model.joblib`` and ``metadata.json``
(see :meth:`DispatchClassifier.save`); ``DATA_DIR/models/dispatch/active-<target>`` names the
version in use for a target (``unit``: the lead unit, ``category``: the order category). Versions
start with their creation time, so they sort chronologically; without a pointer file the newest
version for the target is the active one. Old versions stay until someone deletes them: each
prediction is stored with the version that made it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from django.utils.translation import gettext

from hotline.dispatch.classifier import METADATA_FILE, DispatchClassifier

TARGETS = ("unit", "category")


def default_root() -> Path:
    from django.conf import settings

    return Path(settings.DATA_DIR) / "models" / "dispatch"


def save_version(
    model: DispatchClassifier,
    root: Path,
    created_at: dt.datetime,
    target: str = "unit",
    activate: bool = True,
) -> dict[str, Any]:
    """Write ``model`` as a new version; make it the active one for ``target`` if asked."""
    _check_target(target)
    meta = model.metadata(created_at)
    directory = root / meta["version"]
    meta = model.save(directory, created_at, extra={"target": target})
    if activate:
        activate_version(root, meta["version"], target)
    return {**meta, "path": str(directory)}


def activate_version(root: Path, version: str, target: str = "unit") -> None:
    _check_target(target)
    if _target_of(root / version) != target:
        raise ValueError(f"no {target} model {version!r} in {root}")
    # Write-then-rename: a reader sees the old pointer or the new one, never half a file.
    with tempfile.NamedTemporaryFile("w", dir=root, delete=False, encoding="utf-8") as handle:
        handle.write(version + "\n")
    os.replace(handle.name, root / f"active-{target}")


def versions(root: Path, target: str = "unit") -> list[str]:
    """The versions for ``target``, oldest first."""
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if p.is_dir() and _target_of(p) == target)


def active_version(root: Path, target: str = "unit") -> str | None:
    _check_target(target)
    pointer = root / f"active-{target}"
    if pointer.is_file():
        version = pointer.read_text(encoding="utf-8").strip()
        if version:
            return version
    found = versions(root, target)
    return found[-1] if found else None


def load_active(root: Path, target: str = "unit") -> tuple[str, DispatchClassifier]:
    """The active version's name and model; ``LookupError`` when there is none."""
    version = active_version(root, target)
    if version is None:
        raise LookupError(
            gettext("No %(target)s model in %(root)s: train one first.")
            % {"target": target, "root": root}
        )
    return version, DispatchClassifier.load(root / version)


def _target_of(directory: Path) -> str | None:
    try:
        meta = json.loads((directory / METADATA_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return meta.get("target", "unit")


def _check_target(target: str) -> None:
    if target not in TARGETS:
        raise ValueError(f"target must be one of {', '.join(TARGETS)}")
