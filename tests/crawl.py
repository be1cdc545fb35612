"""Follow a person's links through the pages, as a reviewer clicking everything would: every
page reached must answer without a server error. Reading pages only (GET): a page whose link
changes something is a defect of its own."""

from __future__ import annotations

import re
from collections import Counter, deque
from dataclasses import dataclass, field

from django.test import Client

_LINK = re.compile(r'href="(/[^"#]*)"')
# Not pages: files, downloads and exports (their own tests), the JSON API, the admin (Django's),
# the language switch; the displays poll themselves.
_SKIP = re.compile(
    r"^/(static|media|api|admin|i18n)/|/(export|download|attachments?)/|\.(xlsx|csv|pdf|png|mp3)$"
)


@dataclass
class Crawl:
    pages: int = 0
    failures: list[tuple[str, int]] = field(default_factory=list)


def pattern(path: str) -> str:
    """The page a path is an instance of: numbers, order numbers and tokens read as one."""
    path = path.split("?")[0]
    path = re.sub(r"/[A-Za-z0-9_-]{16,}/", "/<token>/", path)
    return re.sub(r"\d+", "<n>", path)


def crawl(client: Client, start: list[str], *, per_page: int = 2, limit: int = 400) -> Crawl:
    """Breadth-first from ``start``, at most ``per_page`` instances of each page pattern (an
    order's page is one page, not a thousand) and ``limit`` pages in all."""
    found = Crawl()
    seen: set[str] = set()
    taken: Counter[str] = Counter()
    queue = deque(start)
    while queue and found.pages < limit:
        path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        kind = pattern(path)
        if taken[kind] >= per_page:
            continue
        taken[kind] += 1
        response = client.get(path)
        found.pages += 1
        if response.status_code >= 500:
            found.failures.append((path, response.status_code))
            continue
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for href in _LINK.findall(response.content.decode()):
            href = href.replace("&amp;", "&")
            if href not in seen and not _SKIP.search(href):
                queue.append(href)
    return found
