"""What a page shows around its data is in the reader's language: no Chinese punctuation or
list marks on an English page, no half-width ones on a Chinese page.

Found by following each demo login's links in both languages: the home page read "Your roles:
Administrator、Knowledge reviewer", an order's callback line "Callback：resolved，Satisfied", a
case's "Applicant:吴敏" and "Still missing:甲、乙", the policy document of an article
"Policy document：…（…）" — each written into the template outside its translation — and in
Chinese "重复件: " and "追评: " with a half-width colon."""

from __future__ import annotations

import re
from pathlib import Path

from django.urls import reverse

from hotline.orders import actions
from hotline.orders.models import State
from hotline.org.models import Role
from tests.conftest import make_user
from tests.orders.factory import order_in
from tests.web.test_order_pages import page

TEMPLATES = Path(__file__).resolve().parents[2] / "hotline"

# Chinese characters and punctuation (、，：；（） …).
_CHINESE = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
# What a template says through translation or data, or not at all: tags, variables, comments.
_NOT_TEMPLATE_TEXT = re.compile(
    r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}"
    r"|\{%\s*blocktranslate\b.*?\{%\s*endblocktranslate\s*%\}"
    r"|\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}|<!--.*?-->|<script\b.*?</script>|<style\b.*?</style>",
    re.S,
)


def chinese_outside_translations(root: Path = TEMPLATES) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.html")):
        text = _NOT_TEMPLATE_TEXT.sub(lambda m: "\n" * m.group().count("\n"), path.read_text())
        for number, line in enumerate(text.splitlines(), 1):
            if _CHINESE.search(line):
                found.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    return found


def test_no_template_writes_chinese_outside_its_translations():
    # A 、 between list items or a ： after a translated label reaches the English page as is;
    # the marks go through the catalogue (", " is 、, ": " is ：, "; " is ；).
    assert chinese_outside_translations() == []


def test_a_translated_colon_is_followed_by_a_blank_in_english():
    # {% translate ":" %} is ： in Chinese and a bare ":" in English: followed at once by the
    # value it runs into it there ("Applicant:吴敏"). ": " is the label-and-value separator.
    glued = re.compile(r'\{%\s*translate\s+":"\s*%\}(?!\s|</)')
    found = [
        f"{path.relative_to(TEMPLATES)}:{path.read_text()[: m.start()].count(chr(10)) + 1}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for m in glued.finditer(path.read_text())
    ]
    assert found == []


def test_the_home_page_lists_the_roles_in_each_language(client, district):
    both = make_user("two-hats", district.centre, Role.OPERATOR, Role.SUPERVISOR)
    zh = page(client, both, "/").content.decode()
    assert re.search(r"您的角色：[^<、]+、[^<、]+<", zh), zh
    en = page(client, both, "/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    roles = re.search(r"Your roles: ([^<]+)<", en)
    assert roles and "、" not in roles.group(1) and ", " in roles.group(1), en


def test_the_callback_verdict_punctuates_in_each_language(client, district):
    d = district
    order = order_in(State.ACCEPTED, d)
    actions.reply(order, d.una, result="resolved", text="已修复。")
    actions.approve_reply(order, d.dan)
    actions.callback(order, d.cathy, resolved=True, satisfaction="basically_satisfied")
    url = reverse("order_detail", args=[order.number])
    verdict = re.compile(r'data-testid="callback-verdict">([^<]+)<')
    zh = verdict.search(page(client, d.sam, url).content.decode())
    assert zh and zh.group(1) == "回访：已解决，基本满意", zh
    en = verdict.search(page(client, d.sam, url, HTTP_ACCEPT_LANGUAGE="en").content.decode())
    assert en and en.group(1).startswith("Callback: resolved, "), en
    assert not _CHINESE.search(en.group(1)), en.group(1)


def test_the_admin_index_names_its_table_columns_in_chinese(client, district):
    # Django 5.2's admin index heads its tables with 'Model name', 'Add link' and 'Change or
    # view list link' (read out by screen readers); Django's zh_Hans catalogue lacks them.
    ada = district.ada
    ada.is_staff = ada.is_superuser = True
    ada.save()
    zh = page(client, ada, "/admin/").content.decode()
    for english in ("Model name", "Add link", "Change or view list link"):
        assert english not in zh, english
    assert "模型名称" in zh


def test_no_template_writes_half_width_marks_around_a_translation():
    # '(' {% blocktranslate %}3 个差评{% endblocktranslate %} ')' read (差评 3 条) on the
    # Chinese dashboard, 'orders counted in the denominator' + ':' 计入分母的工单:, and the
    # sample's filters 受理日期起： 2026-11-01; …: brackets go through {% aside %}, marks
    # through the catalogue.
    around = re.compile(
        r"\(\{%\s*(block)?translate|\{%\s*endblocktranslate\s*%\}\)"
        r'|\{%\s*translate\s+"[^"]*"\s*%\}[:;(]|\{%\s*endif\s*%\}[:;]\s*$',
        re.M,
    )
    found = [
        f"{path.relative_to(TEMPLATES)}:{path.read_text()[: m.start()].count(chr(10)) + 1}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for m in around.finditer(path.read_text())
    ]
    assert found == []
