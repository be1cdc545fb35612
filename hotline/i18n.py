"""Translation catalogues without the gettext tool chain.

``python -m hotline.i18n compile`` turns every ``locale/*/LC_MESSAGES/django.po`` into its ``.mo``
(polib), so a fresh machine needs no ``msgfmt``. ``python -m hotline.i18n check`` fails when a
catalogue has an untranslated or fuzzy entry: the zh-Hans interface must be complete.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib  # type: ignore[import-untyped]

LOCALE_DIR = Path(__file__).resolve().parent / "locale"


def catalogues() -> list[Path]:
    return sorted(LOCALE_DIR.glob("*/LC_MESSAGES/django.po"))


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
        for entry in po:
            if entry.obsolete:
                continue
            if not entry.translated() or "fuzzy" in entry.flags:
                problems += 1
                where = f"{po_path.relative_to(LOCALE_DIR)}:{entry.linenum}"
                print(f"{where}: untranslated {entry.msgid!r}")
    if problems:
        print(f"{problems} untranslated entries")
    return 1 if problems else 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["compile"]:
        return compile_all()
    if argv[:1] == ["check"]:
        return check_all()
    print("usage: python -m hotline.i18n compile|check", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
