from __future__ import annotations

import pytest

from hotline.dispatch.classifier import DispatchClassifier
from tests.dispatch import synthetic


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
