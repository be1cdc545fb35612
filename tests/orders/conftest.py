import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_messages():
    """Domain tests match error messages in English (the msgids); pages test zh-Hans."""
    with translation.override("en"):
        yield
