"""``GET /api/v1/kb/search``: the same search, for other systems, with a token."""

from __future__ import annotations

from hotline.org.models import ApiToken, Role
from tests.api.conftest import ApiClient
from tests.conftest import make_user
from tests.kb.factory import published


def client_for(user) -> ApiClient:
    _token, raw = ApiToken.issue(user, name="tests")
    return ApiClient(raw)


def test_an_operator_searches_through_the_api(district, rita):
    article = published(district.bureau, district.victor, rita)
    response = client_for(district.olga).get("/kb/search", {"q": "申請低保的條件"})
    assert response.status_code == 200
    hit = response.json()[0]
    assert hit["article_id"] == article.pk and hit["revision_id"] == article.published_id
    assert "<mark>" not in hit["snippet"] and "家庭人均月收入" in hit["snippet"]


def test_the_api_refuses_missing_words_and_roles_without_the_knowledge_base(district):
    clerk = make_user("hana", district.centre, Role.HALL_CLERK)
    assert client_for(district.olga).get("/kb/search", {"q": ""}).status_code in (400, 422)
    assert client_for(clerk).get("/kb/search", {"q": "低保"}).status_code == 403
    assert ApiClient(None).get("/kb/search", {"q": "低保"}).status_code == 401
