"""Article content: safe rich text, plain text for search, and the diff of two revisions."""

from __future__ import annotations

import difflib
import html
import re

import nh3

#: What a unit may write: headings, paragraphs, lists, tables, emphasis and links. Everything
#: else (scripts, styles, event attributes, images from elsewhere) is dropped by Ammonia.
TAGS = frozenset(
    [
        "h2",
        "h3",
        "h4",
        "p",
        "br",
        "hr",
        "ul",
        "ol",
        "li",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "strong",
        "em",
        "b",
        "i",
        "u",
        "blockquote",
        "a",
        "aside",
    ]
)
ATTRIBUTES = {"a": {"href", "title"}, "th": {"colspan", "rowspan"}, "td": {"colspan", "rowspan"}}

#: The one tag whose content is for staff only: a note to operators ("how to answer", who to
#: call inside the hotline) kept in the article next to what the citizen may read.
STAFF_ONLY = "aside"

_BLOCK = re.compile(r"</(p|h[2-4]|li|tr|table|blockquote|aside)>|<br\s*/?>", re.I)
_TAG = re.compile(r"<[^>]+>")
#: A body with no tag at all is plain text (a paste from a document), not HTML.
_HTML_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(\s[^>]*)?/?>")
_SPACE = re.compile(r"[ \t\r\f\v]+")
_LINES = re.compile(r"\n\s*\n+")


_ASIDE = re.compile(r"(<aside\s*>.*?</aside\s*>)", re.I | re.S)
_ASIDE_TAG = re.compile(r"</?aside\s*>", re.I)


def _paragraphs(text: str) -> str:
    """Plain text as paragraphs, one per blank-line block, its lines kept."""
    text = text.strip()
    if not text:
        return ""
    return "".join(
        f"<p>{html.escape(block).replace(chr(10), '<br>')}</p>" for block in _LINES.split(text)
    )


def sanitise(body: str) -> str:
    """The body as safe HTML. Plain text (no tags) becomes paragraphs, one per blank-line block;
    so does plain text with staff notes in it, inside and outside each ``<aside>``: the edit
    page says both work, and any tag used to make the whole body read as HTML, its blank lines
    lost (walk-through, session 24)."""
    body = (body or "").strip()
    if body and not _HTML_TAG.search(body):
        body = _paragraphs(body)
    elif body and not _HTML_TAG.search(_ASIDE_TAG.sub("", body)):
        parts = _ASIDE.split(body)
        # Every <aside> closed: otherwise nh3 makes what it can of the body as written.
        if len(_ASIDE_TAG.findall(body)) == 2 * (len(parts) // 2):
            body = "".join(
                f"<aside>{_paragraphs(_ASIDE_TAG.sub('', part))}</aside>"
                if index % 2
                else _paragraphs(part)
                for index, part in enumerate(parts)
            )
    return nh3.clean(
        body,
        tags=set(TAGS),
        attributes={k: set(v) for k, v in ATTRIBUTES.items()},
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer",
    )


def public_part(body_html: str) -> str:
    """The body as a citizen may read it: every ``<aside>`` (a note for staff) left out, with its
    content. What the portal shows, what the search indexes and what "Answer with this article"
    copies into a reply; the staff page shows the whole body, the notes marked."""
    return nh3.clean(
        body_html or "",
        tags=set(TAGS) - {STAFF_ONLY},
        clean_content_tags={STAFF_ONLY},
        attributes={k: set(v) for k, v in ATTRIBUTES.items()},
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer",
    )


def plain_text(body_html: str) -> str:
    """The text of sanitised HTML, one line per block, for search, snippets and diffs."""
    text = _TAG.sub("", _BLOCK.sub("\n", body_html or ""))
    lines = (_SPACE.sub(" ", html.unescape(line)).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def diff_lines(old: str, new: str) -> list[tuple[str, str]]:
    """A line diff of two plain texts: ``(' ' | '-' | '+', line)``, unchanged lines included."""
    out: list[tuple[str, str]] = []
    before, after = old.splitlines(), new.splitlines()
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            out.extend((" ", line) for line in before[a1:a2])
            continue
        out.extend(("-", line) for line in before[a1:a2])
        out.extend(("+", line) for line in after[b1:b2])
    return out
