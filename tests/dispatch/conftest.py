from __future__ import annotations

from pathlib import Path

import pytest

from hotline.dispatch import services
from hotline.dispatch.classifier import DispatchClassifier
from hotline.dispatch.models import DispatchModel
from hotline.dispatch.store import save_version
from hotline.org.models import Unit
from tests.api.conftest import api  # noqa: F401  (the API client fixture)
from tests.conftest import at
from tests.dispatch import synthetic
from tests.dispatch.history import CODES, make_units
from tests.dispatch.tree import (  # noqa: F401  (the two-level tree fixtures)
    flat_model,
    tree,
    tree_model,
    tree_model_files,
)


@pytest.fixture(scope="session")
def complaints() -> tuple[list[str], list[str]]:
    """Training complaints: 40 per unit."""
    return synthetic.labelled(per_unit=40, seed=1)


@pytest.fixture(scope="session")
def new_complaints() -> tuple[list[str], list[str]]:
    """Complaints the model has not seen: 15 per unit, another seed."""
    return synthetic.labelled(per_unit=15, seed=2)


@pytest.fixture(scope="session")
def trained(complaints: tuple[list[str], list[str]]) -> DispatchClassifier:
    texts, labels = complaints
    return DispatchClassifier(target_precision=0.95).fit(texts, labels)


@pytest.fixture(scope="session")
def model_files(tmp_path_factory) -> tuple[Path, str]:
    """A unit model trained once per run on synthetic complaints labelled with unit codes; the
    data directory that holds it and its version."""
    data_dir = tmp_path_factory.mktemp("dispatch-data")
    texts, names = synthetic.labelled(per_unit=20, seed=3)
    model = DispatchClassifier(n_splits=3).fit(texts, [CODES[n] for n in names])
    meta = save_version(
        model, data_dir / "models" / "dispatch", at("2024-05-06 09:00"), activate=False
    )
    return data_dir, meta["version"]


@pytest.fixture
def units(district) -> dict[str, Unit]:
    return make_units()


@pytest.fixture
def active_model(settings, model_files, units) -> DispatchModel:
    """The session's model, recorded and active, with an auto-dispatch threshold of 0.5."""
    data_dir, version = model_files
    settings.DATA_DIR = data_dir
    row = DispatchModel.objects.create(version=version, training_size=120, threshold=0.5)
    services.activate(row)
    return row
