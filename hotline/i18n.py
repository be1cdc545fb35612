"""Translation catalogues without the gettext tool chain.

``python -m hotline.i18n compile`` turns every ``locale/*/LC_MESSAGES/*.po`` (django, djangojs)
into its ``.mo`` (polib), so a fresh machine needs no ``msgfmt``. ``python -m hotline.i18n check``
fails when a catalogue has an untranslated or fuzzy entry (the zh-Hans interface must be complete)
or when a zh-Hans translation uses half-width punctuation inside Chinese text;
``python -m hotline.i18n fix`` rewrites those marks to full width in the msgstrs only.

The check also reads the code: every literal message in ``_()``/``gettext``/``pgettext``/
``ngettext`` (and their lazy forms) under hotline/, and every ``{% translate %}``,
``{% blocktranslate %}`` and ``_("…")`` in its templates, must have a zh-Hans translation, ours or
Django's own (the admin's "Home"). Otherwise a new string nobody added to the catalogue shows
English to a zh-Hans user. The templates go through Django's ``templatize`` (what makemessages
feeds xgettext), the Python through ``ast``: no gettext tools needed.
"""

from __future__ import annotations

import ast
import importlib.util
import io
import re
import sys
import tokenize
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

import polib  # type: ignore[import-untyped]

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
CODE_DIR = Path(__file__).resolve().parent


# Chinese text takes full-width punctuation (GB/T 15834). Only these marks are rewritten: a period
# or a quote mark is too often part of a file name, a decimal or markup to change safely.
FULL_WIDTH = {":": "：", ",": "，", "?": "？", "(": "（", ")": "）", ";": "；", "!": "！"}
# Spans that are code, not prose: placeholders (%(n)s, %d, {name}), URLs, `code` and HTML tags.
# Their punctuation is never touched and they do not count as Chinese text either side of a mark.
_CODE = re.compile(
    r"%\([^)]*\)[-#0 +]*\d*(?:\.\d+)?[a-zA-Z]|%[sdrif]|\{[\w.]*\}|https?://\S+|`[^`]*`|<[^>]*>"
)
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")


def _is_chinese(char: str) -> bool:
    return bool(_CJK.match(char))


def half_width_marks(text: str) -> list[int]:
    """Offsets of half-width marks that sit in Chinese text.

    A mark counts when the nearest non-blank character on either side is Chinese (a code span in
    between stops the search), so ``10:02``, ``Authorization: Bearer`` and ``%(a)s, %(b)s`` stay as
    they are. Parentheses go in pairs: ``报表 (Excel)`` rewrites both.
    """
    masked = _CODE.sub(lambda m: "\0" * len(m.group()), text)
    marks: set[int] = set()
    for i, char in enumerate(masked):
        if char not in FULL_WIDTH:
            continue
        before = masked[:i].rstrip(" ")[-1:]
        after = masked[i + 1 :].lstrip(" ")[:1]
        if _is_chinese(before) or _is_chinese(after):
            marks.add(i)
    opened: list[int] = []
    for i, char in enumerate(masked):
        if char == "(":
            opened.append(i)
        elif char == ")" and opened:
            start = opened.pop()
            if start in marks or i in marks:
                marks.update((start, i))
    return sorted(marks)


def full_width(text: str) -> str:
    """The text with its half-width marks in Chinese text made full width, without the blanks
    around them (full-width marks carry their own spacing)."""
    marks = half_width_marks(text)
    if not marks:
        return text
    out: list[str] = []
    last = 0
    for i in marks:
        out.append(text[last:i].rstrip(" "))
        out.append(FULL_WIDTH[text[i]])
        last = i + 1
        while last < len(text) and text[last] == " ":
            last += 1
    out.append(text[last:])
    return "".join(out)


def _msgstrs(entry: polib.POEntry) -> list[str]:
    return list(entry.msgstr_plural.values()) if entry.msgstr_plural else [entry.msgstr]


def _is_chinese_catalogue(po_path: Path) -> bool:
    return po_path.parent.parent.name.startswith("zh")


def fix_all() -> int:
    """Rewrite half-width marks in the zh catalogues' msgstrs; msgids and comments stay as is."""
    for po_path in catalogues():
        if not _is_chinese_catalogue(po_path):
            continue
        po = polib.pofile(str(po_path))
        changed = 0
        for entry in po:
            if entry.msgstr_plural:
                for key, value in entry.msgstr_plural.items():
                    if full_width(value) != value:
                        entry.msgstr_plural[key] = full_width(value)
                        changed += 1
            elif full_width(entry.msgstr) != entry.msgstr:
                entry.msgstr = full_width(entry.msgstr)
                changed += 1
        if changed:
            po.save()
        print(f"{po_path.relative_to(LOCALE_DIR)}: {changed} translations made full width")
    return 0


def catalogues() -> list[Path]:
    # django.po, and djangojs.po for the strings of the admin's JavaScript.
    return sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po"))


def compile_all() -> int:
    for po_path in catalogues():
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
    return 0


# The gettext functions and where their message is: (context argument, message argument), as
# makemessages passes them to xgettext (--keyword=pgettext:1c,2 ...).
KEYWORDS: dict[str, tuple[int | None, int]] = {
    "_": (None, 0),
    "gettext": (None, 0),
    "gettext_lazy": (None, 0),
    "gettext_noop": (None, 0),
    "ngettext": (None, 0),
    "ngettext_lazy": (None, 0),
    "pgettext": (0, 1),
    "pgettext_lazy": (0, 1),
    "npgettext": (0, 1),
    "npgettext_lazy": (0, 1),
}
# Django's own catalogues of the apps we install: a message they translate needs no entry of ours.
DJANGO_CATALOGUES = ("django.conf", "django.contrib.admin", "django.contrib.auth")
CHINESE = "zh_Hans"


class Message(NamedTuple):
    """A translatable message as the code uses it, and where."""

    msgctxt: str | None
    msgid: str
    path: Path
    line: int


def _message(keyword: str, args: Sequence[object], path: Path, line: int) -> Message | None:
    """The message of a call to ``keyword`` with these literal arguments (None for anything else:
    a variable or an f-string has nothing to look up)."""
    context_at, message_at = KEYWORDS[keyword]
    message = args[message_at] if len(args) > message_at else None
    context = args[context_at] if context_at is not None and len(args) > context_at else None
    if not isinstance(message, str) or (context_at is not None and not isinstance(context, str)):
        return None
    return Message(context if isinstance(context, str) else None, message, path, line)


def _messages_in_python(path: Path, source: str) -> Iterator[Message]:
    for node in ast.walk(ast.parse(source, filename=str(path))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        if name not in KEYWORDS:
            continue
        args = [a.value if isinstance(a, ast.Constant) else None for a in node.args]
        message = _message(name, args, path, node.lineno)
        if message is not None:
            yield message


def _messages_in_template(path: Path, source: str) -> Iterator[Message]:
    from django.utils.translation.template import templatize

    # templatize keeps the template's lines and turns each translation into a gettext() call on
    # Python literals and everything else into blank letters: Python's tokenizer reads it.
    code = "\n".join(line.lstrip() for line in templatize(source, origin=str(path)).splitlines())
    tokens = [
        t
        for t in tokenize.generate_tokens(io.StringIO(code).readline)
        if t.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT)
    ]
    for i, token in enumerate(tokens[:-1]):
        if token.type != tokenize.NAME or token.string not in KEYWORDS:
            continue
        if tokens[i + 1].string != "(":
            continue
        args: list[object] = []
        for arg in tokens[i + 2 :]:
            if arg.string in (",", ")"):
                if arg.string == ")":
                    break
                continue
            args.append(ast.literal_eval(arg.string) if arg.type == tokenize.STRING else None)
        message = _message(token.string, args, path, token.start[0])
        if message is not None:
            yield message


def messages_in_code(root: Path | None = None) -> list[Message]:
    """The literal messages hotline's Python code and templates ask to translate."""
    root = root or CODE_DIR
    found: list[Message] = []
    for path in sorted(root.rglob("*.py")):
        found.extend(_messages_in_python(path, path.read_text(encoding="utf-8")))
    for path in sorted(root.rglob("templates/**/*")):
        if path.is_file() and path.suffix in (".html", ".txt"):
            found.extend(_messages_in_template(path, path.read_text(encoding="utf-8")))
    return found


def _translated(po_path: Path) -> set[tuple[str | None, str]]:
    return {
        (entry.msgctxt, entry.msgid)
        for entry in polib.pofile(str(po_path))
        if not entry.obsolete and entry.translated() and "fuzzy" not in entry.flags
    }


def _django_translations() -> set[tuple[str | None, str]]:
    known: set[tuple[str | None, str]] = set()
    for package in DJANGO_CATALOGUES:
        spec = importlib.util.find_spec(package)
        if spec is None or not spec.submodule_search_locations:
            continue
        for folder in spec.submodule_search_locations:
            po_path = Path(folder) / "locale" / CHINESE / "LC_MESSAGES" / "django.po"
            if po_path.exists():
                known |= _translated(po_path)
    return known


def check_code() -> int:
    """Messages in code and templates with no zh-Hans translation; prints each with its place."""
    ours = LOCALE_DIR / CHINESE / "LC_MESSAGES" / "django.po"
    known = (_translated(ours) if ours.exists() else set()) | _django_translations()
    problems = 0
    reported: set[tuple[str | None, str]] = set()
    for message in messages_in_code():
        key = (message.msgctxt, message.msgid)
        if key in known or key in reported:
            continue
        reported.add(key)
        problems += 1
        where = f"{message.path.relative_to(CODE_DIR.parent)}:{message.line}"
        context = f" (context {message.msgctxt!r})" if message.msgctxt else ""
        print(f"{where}: {message.msgid!r}{context} has no zh-Hans translation")
    return problems


def check_all() -> int:
    problems = 0
    for po_path in catalogues():
        po = polib.pofile(str(po_path))
        chinese = _is_chinese_catalogue(po_path)
        seen: set[tuple[str | None, str]] = set()
        for entry in po:
            if entry.obsolete:
                continue
            # Entries are appended by hand by several people at once: the same message twice
            # (gettext's msgfmt refuses such a file; the last translation silently wins here).
            if (entry.msgctxt, entry.msgid) in seen:
                problems += 1
                where = f"{po_path.relative_to(LOCALE_DIR)}:{entry.linenum}"
                print(f"{where}: {entry.msgid!r} is defined twice")
            seen.add((entry.msgctxt, entry.msgid))
            if not entry.translated() or "fuzzy" in entry.flags:
                problems += 1
                where = f"{po_path.relative_to(LOCALE_DIR)}:{entry.linenum}"
                print(f"{where}: untranslated {entry.msgid!r}")
            elif chinese and any(half_width_marks(s) for s in _msgstrs(entry)):
                problems += 1
                where = f"{po_path.relative_to(LOCALE_DIR)}:{entry.linenum}"
                print(f"{where}: half-width punctuation in {entry.msgstr or entry.msgid!r}")
    problems += check_code()
    if problems:
        print(f"{problems} entries to fix ('python -m hotline.i18n fix' does the punctuation)")
    return 1 if problems else 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["compile"]:
        return compile_all()
    if argv[:1] == ["check"]:
        return check_all()
    if argv[:1] == ["fix"]:
        return fix_all()
    print("usage: python -m hotline.i18n compile|check|fix", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
