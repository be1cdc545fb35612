"""``/api/v1/kb/…``: the knowledge-base search for other systems (a softphone, a chatbot).

Read-only, with an API token like every endpoint; the same visibility as the pages (centre staff
and units read the published articles; nothing unpublished is searchable).
"""

from __future__ import annotations

import html
import re
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from hotline.api.schemas import BAD_REQUEST, ErrorOut
from hotline.kb.rules import NotAllowed, is_staff_reader
from hotline.kb.search import index

router = Router(tags=["knowledge base"])

_MARK = re.compile(r"</?mark>")


class ArticleHit(Schema):
    """One article found: its published revision, where it ranked and a plain-text snippet."""

    article_id: int
    revision_id: int
    revision: int
    title: str
    unit: str
    public: bool
    score: float
    snippet: str


class SearchFilters(Schema):
    q: str = Field(..., min_length=1, max_length=200, description="What to search for")
    category: int | None = Field(None, ge=1, description="A category id (its subtree counts)")
    unit: int | None = Field(None, ge=1, description="A unit id (its subtree counts)")
    public_only: bool = Field(False, description="Only articles citizens may read")
    limit: int = Field(10, ge=1, le=50)


@router.get(
    "/search",
    response={200: list[ArticleHit], **BAD_REQUEST, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    operation_id="search_articles",
)
def search_articles(request: HttpRequest, filters: Query[SearchFilters]) -> list[dict[str, Any]]:
    """Published articles ranked for ``q`` (Chinese, Simplified or Traditional)."""
    user = request.auth  # type: ignore[attr-defined]
    if not is_staff_reader(user):
        raise NotAllowed(_("The knowledge base is for hotline and unit staff."))
    results = index.search(
        filters.q,
        public_only=filters.public_only,
        category_id=filters.category,
        unit_id=filters.unit,
        limit=filters.limit,
    )
    return [
        {
            "article_id": r.article_id,
            "revision_id": r.revision_id,
            "revision": r.revision_number,
            "title": r.title,
            "unit": r.unit_name,
            "public": r.public,
            "score": r.score,
            "snippet": html.unescape(_MARK.sub("", str(r.snippet))),
        }
        for r in results
    ]
