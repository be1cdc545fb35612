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


#: A staff note written inside a paragraph, with the spaces around it; in plain text, where it
#: stands until the paragraphs are made (a private-use mark, which no text holds).
_INLINE_NOTE = re.compile(r"\s*(?:<aside\s*>(.*?)</aside\s*>|\ue000(\d+)\ue001)\s*", re.I | re.S)
_NESTED = re.compile(r"<aside\b", re.I)
_PARAGRAPH = re.compile(r"(<p(?:\s[^>]*)?>)(.*?)(</p\s*>)", re.I | re.S)


def _inline(before: str, after: str) -> bool:
    """Whether a note sits inside a line: text on its line before or after it."""
    return bool(before.rsplit("\n", 1)[-1].strip() or after.split("\n", 1)[0].strip())


def _mid_paragraph(before: str, after: str) -> bool:
    """Whether a note written on its own lines sits between two lines of one paragraph: text
    before and after it with no blank line between (session 27, r1 L4 leftover). The writer
    broke the line around the note, not the paragraph: '携带身份证\n<aside>…</aside>\n原件。'
    was two paragraphs on the portal, '携带身份证' and '原件。'."""
    return bool(_LINES.split(before)[-1].strip() and _LINES.split(after)[0].strip())


def _lift_notes(body: str, notes: list[str]) -> str:
    """A staff note inside a paragraph goes right after it, the paragraph's text joined where
    the note was (review r1 L4): HTML has no block inside a <p>, so the parser closed the
    paragraph at the note and the citizen, who does not see the note, read one sentence as two
    paragraphs. ``notes`` are the plain text's notes, already made HTML, by their marks."""

    def lift(match: re.Match[str]) -> str:
        opening, inner, closing = match.groups()
        if any(_NESTED.search(n.group(1) or "") for n in _INLINE_NOTE.finditer(inner)):
            # A note inside a note: the match would end at the inner one's end and leave the
            # rest of the outer note in the citizen's paragraph (attack, session 26, h5 F5).
            # Left as written, nh3 keeps the whole outer note a note.
            return match.group(0)
        lifted: list[str] = []

        def take(note: re.Match[str]) -> str:
            mark = note.group(2)
            lifted.append(
                notes[int(mark)] if mark is not None else f"<aside>{note.group(1)}</aside>"
            )
            spaced = note.group(0) != note.group(0).strip()
            return " " if spaced else ""

        text = _INLINE_NOTE.sub(take, inner).strip()
        return f"{opening}{text}{closing}{''.join(lifted)}" if lifted else match.group(0)

    return _PARAGRAPH.sub(lift, body)


def sanitise(body: str) -> str:
    """The body as safe HTML. Plain text (no tags) becomes paragraphs, one per blank-line block;
    so does plain text with staff notes in it, inside and outside each ``<aside>``: the edit
    page says both work, and any tag used to make the whole body read as HTML, its blank lines
    lost (walk-through, session 24). A note written inside a paragraph is put right after it,
    the paragraph whole (:func:`_lift_notes`), in plain text also one on its own lines between
    two lines of a paragraph (:func:`_mid_paragraph`): the writer's line breaks are ``<br>``, a
    paragraph ends only at a blank line."""
    # The two private-use marks stand for lifted notes while the paragraphs are made: typed or
    # pasted into a body they were read as a note's mark, an IndexError and a 500 on save
    # (review, session 25, L2). No text needs them.
    body = (body or "").replace("\ue000", "").replace("\ue001", "").strip()
    notes: list[str] = []
    if body and not _HTML_TAG.search(body):
        body = _paragraphs(body)
    elif body and not _HTML_TAG.search(_ASIDE_TAG.sub("", body)):
        parts = _ASIDE.split(body)
        # Every <aside> closed: otherwise nh3 makes what it can of the body as written.
        if len(_ASIDE_TAG.findall(body)) == 2 * (len(parts) // 2):
            segments: list[str] = []
            text = ""
            for index, part in enumerate(parts):
                if not index % 2:
                    text += part
                    continue
                note = f"<aside>{_paragraphs(_ASIDE_TAG.sub('', part))}</aside>"
                if _inline(parts[index - 1], parts[index + 1]):
                    text += f"\ue000{len(notes)}\ue001"
                    notes.append(note)
                elif _mid_paragraph(text, parts[index + 1]):
                    # One line break kept where the note's lines were: the paragraph reads
                    # '携带身份证<br>原件。' and the note follows it.
                    text = text.rstrip() + f"\ue000{len(notes)}\ue001"
                    notes.append(note)
                else:
                    segments += [_paragraphs(text), note]
                    text = ""
            body = "".join([*segments, _paragraphs(text)])
    body = _lift_notes(body, notes)
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
