"""Translation catalogues without the gettext tool chain.

``python -m hotline.i18n compile`` turns every ``locale/*/LC_MESSAGES/*.po`` (django, djangojs)
into its ``.mo`` (polib), so a fresh machine needs no ``msgfmt``. ``python -m hotline.i18n check``
fails when a catalogue has an untranslated or fuzzy entry (the zh-Hans interface must be complete)
or when a zh-Hans translation uses half-width punctuation inside Chinese text;
``python -m hotline.i18n fix`` rewrites those marks to full width in the msgstrs only.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import polib  # type: ignore[import-untyped]

LOCALE_DIR = Path(__file__).resolve().parent / "locale"


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
