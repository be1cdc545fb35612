"""A message naming several things lists them in the reader's language: "Still missing:
房屋租赁合同, 近期照片" in English, 房屋租赁合同、近期照片 in Chinese. The actions and views
joined names with the Chinese 、 whatever the language (cases, pre-review, the knowledge base's
diff)."""

from __future__ import annotations

import pytest
from django.utils import translation

from hotline.cases import actions
from tests.cases.conftest import serve
from tests.cases.test_lifecycle import _receive_all
from tests.conftest import at

pytestmark = pytest.mark.django_db


def test_the_missing_materials_are_listed_in_the_readers_language(ct):
    _ticket, case = serve(ct, ct.residence, at("2025-03-04 10:00"))
    wendy = ct.town.wendy
    _receive_all(case, wendy, at("2025-03-04 10:05"), except_names=["房屋租赁合同", "近期照片"])
    with translation.override("en"), pytest.raises(actions.InvalidInput) as refused:
        actions.accept(case, wendy)
    assert "房屋租赁合同, 近期照片" in str(refused.value), refused.value
    with translation.override("zh-hans"), pytest.raises(actions.InvalidInput) as refused:
        actions.accept(case, wendy)
    assert "房屋租赁合同、近期照片" in str(refused.value), refused.value
