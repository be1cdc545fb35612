"""An Open311 app's api_key: a token issued to a partner account (Pat, the partner system)."""

from __future__ import annotations

import pytest

from hotline.org.models import ApiToken, Role
from tests.conftest import make_user


@pytest.fixture
def api_key(district) -> str:
    pat = make_user("pat", district.centre, Role.OPERATOR)
    _token, raw = ApiToken.issue(pat, name="partner app", scopes=[ApiToken.OPEN311])
    return raw
