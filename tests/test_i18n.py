"""The zh-Hans catalogue check: complete, and Chinese text with full-width punctuation."""

from __future__ import annotations

from pathlib import Path

import polib  # type: ignore[import-untyped]
import pytest

from hotline import i18n


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("[单位编码, 概率] 列表", "[单位编码，概率] 列表"),
        ("剩余 (%(n)s 天)", "剩余（%(n)s 天）"),
        ("月度报表 (Excel)", "月度报表（Excel）"),
        ("请确认?确认后不能撤回!", "请确认？确认后不能撤回！"),
        ("来电人: 张三; 电话: %(phone)s", "来电人：张三；电话：%(phone)s"),
    ],
)
def test_half_width_marks_in_chinese_text_become_full_width(typed, expected):
    assert i18n.full_width(typed) == expected


@pytest.mark.parametrize(
    "untouched",
    [
        "10:02 来电",  # a time between ASCII digits
        "请提供令牌：Authorization: Bearer <令牌>。",  # code
        "%(first)s, %(last)s",  # between placeholders
        "详见 https://example.cn/a?b=1,2 页面",  # a URL
        "Open the order, then dispatch it.",  # English
        "共 1,024 件",
    ],
)
def test_code_times_and_english_keep_their_punctuation(untouched):
    assert i18n.half_width_marks(untouched) == []
    assert i18n.full_width(untouched) == untouched


def _catalogue(tmp_path: Path, msgstr: str) -> Path:
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    po.append(polib.POEntry(msgid="Caller: %(name)s", msgstr=msgstr))
    path = tmp_path / "zh_Hans" / "LC_MESSAGES" / "django.po"
    path.parent.mkdir(parents=True)
    po.save(str(path))
    return path


def test_check_fails_on_half_width_marks_and_fix_repairs_msgstrs(tmp_path, monkeypatch, capsys):
    path = _catalogue(tmp_path, "来电人: %(name)s")
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    monkeypatch.setattr(i18n, "CODE_DIR", tmp_path)  # no code: the catalogue alone

    assert i18n.check_all() == 1
    assert "half-width punctuation" in capsys.readouterr().out

    assert i18n.fix_all() == 0
    entry = polib.pofile(str(path)).find("Caller: %(name)s")
    assert entry.msgstr == "来电人：%(name)s"
    assert i18n.check_all() == 0


def test_check_fails_on_a_message_defined_twice(tmp_path, monkeypatch, capsys):
    """Two people appending the same message with two translations: msgfmt refuses the file and
    the compiled catalogue silently takes the last; the check names it."""
    path = _catalogue(tmp_path, "来电人：%(name)s")
    with path.open("a", encoding="utf-8") as po:
        po.write('\nmsgid "Caller: %(name)s"\nmsgstr "来电者：%(name)s"\n')
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    monkeypatch.setattr(i18n, "CODE_DIR", tmp_path)  # no code: the catalogue alone

    assert i18n.check_all() == 1
    assert "defined twice" in capsys.readouterr().out


def test_the_shipped_catalogue_passes():
    assert i18n.check_all() == 0


def _code(tmp_path: Path, monkeypatch, files: dict[str, str]) -> None:
    """A hotline/ tree of the given files beside a zh-Hans catalogue that knows only 'Caller'."""
    code = tmp_path / "hotline"
    for name, text in files.items():
        (code / name).parent.mkdir(parents=True, exist_ok=True)
        (code / name).write_text(text, encoding="utf-8")
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    po.append(polib.POEntry(msgid="Caller", msgstr="来电人"))
    catalogue = code / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    catalogue.parent.mkdir(parents=True)
    po.save(str(catalogue))
    monkeypatch.setattr(i18n, "CODE_DIR", code)
    monkeypatch.setattr(i18n, "LOCALE_DIR", code / "locale")


def test_a_template_string_nobody_translated_fails_the_check(tmp_path, monkeypatch, capsys):
    """Wang Fang adds a button to the hall's desk page and forgets the catalogue: a zh-Hans clerk
    would read English. The check names the string and the template."""
    _code(
        tmp_path,
        monkeypatch,
        {
            "hall/templates/hall/desk.html": (
                "{% load i18n %}\n<h1>{% translate 'Caller' %}</h1>\n"
                "<p>{% blocktranslate with n=count %}Call {{ n }} next{% endblocktranslate %}</p>\n"
                '{% translate "Home" %}\n'  # the admin's: Django's own catalogue translates it
            )
        },
    )

    assert i18n.check_all() == 1
    out = capsys.readouterr().out
    assert "hotline/hall/templates/hall/desk.html:3: 'Call %(n)s next'" in out
    assert "Caller" not in out and "Home" not in out


@pytest.mark.parametrize(
    "call",
    [
        '_("Pause the window")',
        'gettext_lazy("Pause the window")',
        'ngettext("Pause the window", "Pause the windows", n)',
        'pgettext("hall", "Pause the window")',
    ],
)
def test_a_python_string_nobody_translated_fails_the_check(tmp_path, monkeypatch, capsys, call):
    _code(
        tmp_path,
        monkeypatch,
        {
            "hall/views.py": (
                "from django.utils.translation import gettext as _, gettext_lazy, ngettext, "
                f"pgettext\n\nn = 2\nLABELS = [_('Caller'), _(str(n)), {call}]\n"
            )
        },
    )

    assert i18n.check_all() == 1
    out = capsys.readouterr().out
    assert "hotline/hall/views.py:4: 'Pause the window'" in out
    assert "has no zh-Hans translation" in out


def test_a_fuzzy_translation_does_not_count(tmp_path, monkeypatch, capsys):
    """A translation marked fuzzy (a guess awaiting review) is not shown: the page reads English."""
    page = {"web/templates/web/caller.html": "{% load i18n %}{% trans 'Caller' %}"}
    _code(tmp_path, monkeypatch, page)
    catalogue = i18n.LOCALE_DIR / "zh_Hans" / "LC_MESSAGES" / "django.po"
    po = polib.pofile(str(catalogue))
    po.find("Caller").flags.append("fuzzy")
    po.save()

    assert i18n.check_all() == 1
    out = capsys.readouterr().out
    assert "web/templates/web/caller.html:1: 'Caller' has no zh-Hans translation" in out
