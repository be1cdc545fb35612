"""A tiny two-level unit tree for the dispatch model: two streets, three 居委会 each.

The six synthetic units' codes (``b0``…``b5``, :mod:`tests.dispatch.history`) become 居委会:
``b0``–``b2`` under 东街道 (``east``), ``b3``–``b5`` under 西街道 (``west``). The session's model
(``model_files``, trained on those codes) then knows sub-units only, and its probabilities roll up
to the two streets.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from hotline.dispatch import services
from hotline.dispatch.classifier import DispatchClassifier
from hotline.dispatch.models import DispatchModel
from hotline.dispatch.store import save_version
from hotline.org.models import PeerGroup, Unit, UnitKind
from tests.conftest import at
from tests.dispatch import synthetic
from tests.dispatch.history import CODES

EAST = ("b0", "b1", "b2")
WEST = ("b3", "b4", "b5")


@pytest.fixture
def tree(district) -> dict[str, Unit]:
    """The two streets and their 居委会, by code."""
    found = {
        street: Unit.objects.create(
            code=street, name=name, kind=UnitKind.STREET, peer_group=PeerGroup.STREETS
        )
        for street, name in (("east", "东街道"), ("west", "西街道"))
    }
    for name, code in CODES.items():
        found[code] = Unit.objects.create(
            code=code,
            name=f"{name}居委会",
            kind=UnitKind.NEIGHBOURHOOD,
            parent=found["east" if code in EAST else "west"],
        )
    return found


FIRST_LEVEL_OF = {code: "east" if code in EAST else "west" for code in CODES.values()}


@pytest.fixture(scope="session")
def tree_model_files(tmp_path_factory) -> tuple[Path, str]:
    """A unit model that learnt the tree too (first-level suggestions and confidence), trained
    once per run; its data directory and version."""
    data_dir = tmp_path_factory.mktemp("dispatch-tree")
    texts, names = synthetic.labelled(per_unit=20, seed=3)
    model = DispatchClassifier(n_splits=3).fit(
        texts, [CODES[n] for n in names], first_level_of=FIRST_LEVEL_OF
    )
    meta = save_version(
        model, data_dir / "models" / "dispatch", at("2024-05-06 09:00"), activate=False
    )
    return data_dir, meta["version"]


@pytest.fixture
def tree_model(settings, tree_model_files, tree) -> DispatchModel:
    """The tree model, recorded and active; thresholds 0.5 (unit) and none (first level)."""
    data_dir, version = tree_model_files
    settings.DATA_DIR = data_dir
    row = DispatchModel.objects.create(version=version, training_size=120, threshold=0.5)
    services.activate(row)
    return row


@pytest.fixture
def flat_model(settings, model_files, tree) -> DispatchModel:
    """The session's model trained without the tree (units only), over the tree, active."""
    data_dir, version = model_files
    settings.DATA_DIR = data_dir
    row = DispatchModel.objects.create(version=version, training_size=120, threshold=0.5)
    services.activate(row)
    return row
