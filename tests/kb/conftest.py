"""Knowledge-base people: Rita is the centre's knowledge reviewer; Una (江宁路街道) and Victor
(区民政局) keep their own units' articles; Olga the operator reads them."""

from __future__ import annotations

import pytest
from django.utils import translation

from hotline.kb.search import index
from hotline.org.models import Role, User
from tests.conftest import District, make_user


@pytest.fixture(autouse=True)
def _english_messages():
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _fresh_index():
    index.forget()
    yield
    index.forget()


@pytest.fixture
def rita(district: District) -> User:
    return make_user("rita", district.centre, Role.KNOWLEDGE_REVIEWER)
