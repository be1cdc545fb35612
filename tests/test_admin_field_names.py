"""Ada, the administrator, reads the admin in Chinese. Before, the event and counter tables'
columns read seq, actor, from state, to state, payload, last … in English — fields without a
translatable name — and a few fields took another field's Chinese by sharing its English word:
a window's and a ticket's number read 工单编号 (a work order's number), a review criterion's
sort order 工单 ('order'), a sample draw's size 大小 (a file's size).

These tests walk every model the admin shows (and every model of the product) so that a field
added later without a translated name fails here, not in front of the administrator."""

from __future__ import annotations

import json
import re

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.templatetags.admin_list import result_headers
from django.db import models
from django.test import Client
from django.utils import translation
from django.utils.functional import Promise

from hotline.org.models import User

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _shown_models() -> list[type[models.Model]]:
    shown: set[type[models.Model]] = set()
    for model, page in admin.site._registry.items():
        shown.add(model)
        shown.update(inline.model for inline in page.inlines)
    shown.update(m for m in apps.get_models() if m.__module__.startswith("hotline."))
    return sorted(shown, key=lambda m: m._meta.label)


SHOWN = _shown_models()


def _untranslated(text: object) -> bool:
    with translation.override("zh-hans"):
        return not CHINESE.search(str(text))


@pytest.mark.parametrize("model", SHOWN, ids=lambda m: m._meta.label)
def test_every_field_has_a_chinese_name(model: type[models.Model]) -> None:
    unnamed = [
        f.name
        for f in [*model._meta.fields, *model._meta.many_to_many]
        if not (f.auto_created and f.primary_key)
        and (not isinstance(f.verbose_name, Promise) or _untranslated(f.verbose_name))
    ]
    assert unnamed == []
    assert not _untranslated(model._meta.verbose_name)
    assert not _untranslated(model._meta.verbose_name_plural)


@pytest.mark.parametrize("model", SHOWN, ids=lambda m: m._meta.label)
def test_no_two_fields_of_a_model_share_a_chinese_name(model: type[models.Model]) -> None:
    with translation.override("zh-hans"):
        names = [str(f.verbose_name) for f in [*model._meta.fields, *model._meta.many_to_many]]
    assert sorted(n for n in set(names) if names.count(n) > 1) == []


@pytest.mark.parametrize(
    ("label", "field", "name"),
    [
        ("hall.Window", "number", "窗口号"),
        ("hall.Ticket", "number", "号票号码"),
        ("hall.Appointment", "code", "预约码"),
        ("hall.Alert", "level", "预警级别"),
        ("assessment.ReviewCriterion", "sort_order", "排序"),
        ("assessment.SampleDraw", "size", "抽取数量"),
        ("hall.TicketEvent", "seq", "序号"),
        ("cases.CaseEvent", "actor", "操作人"),
        ("ratings.RatingEvent", "payload", "详情"),
        ("orders.DailyCounter", "last", "最后编号"),
    ],
)
def test_a_field_is_named_for_what_it_holds(label: str, field: str, name: str) -> None:
    with translation.override("zh-hans"):
        assert str(apps.get_model(label)._meta.get_field(field).verbose_name) == name


@pytest.mark.django_db
@pytest.mark.parametrize(
    "page", [model._meta.label_lower.replace(".", "/") for model in admin.site._registry]
)
def test_the_change_lists_are_headed_in_chinese(client: Client, page: str) -> None:
    """Every change list's column headers, including the admin's own columns (a draw's list
    was headed 'Pk')."""
    if page.startswith("axes/"):
        pytest.skip("django-axes' own pages")
    client.force_login(User.objects.create_superuser("ada-admin", password="pw"))
    response = client.get(f"/admin/{page}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    headers = [str(h["text"]) for h in result_headers(response.context["cl"])]
    assert headers and not [h for h in headers if _untranslated(h)]


EVENTS = [
    m
    for m in SHOWN
    if {"action", "seq"} <= {f.name for f in m._meta.fields} and m._meta.get_field("action").choices
]


@pytest.mark.parametrize("model", EVENTS, ids=lambda m: m._meta.label)
def test_an_events_title_names_its_action_in_the_language_read(model: type[models.Model]) -> None:
    """A case's page in the admin listed its events under titles '1#1 open', '1#2 visit': the
    action's code where the row beside it says 收件, 到场."""
    value, label = model._meta.get_field("action").flatchoices[0]
    event = model(action=value, seq=1)
    with translation.override("zh-hans"):
        assert str(event).endswith(str(label)) and not _untranslated(str(event))


@pytest.mark.django_db
def test_the_add_user_page_reads_chinese_and_disabled_means_switched_off(client: Client) -> None:
    """The add-user page's password switch read 启用 / 残疾人 ('disabled person'): the hall's
    priority category took the plain msgid 'Disabled' that Django's own pages use; and the page's
    first line was English (Django's catalogue lacks it)."""
    from hotline.hall.models import Priority

    client.force_login(User.objects.create_superuser("ada-admin", password="pw"))
    page = client.get("/admin/org/user/add/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "禁用" in page and "残疾人" not in page
    assert "After you" not in page
    with translation.override("zh-hans"):
        assert str(Priority.DISABLED.label) == "残疾人"


@pytest.mark.django_db
def test_a_read_only_pages_close_button_does_not_say_archive(client: Client) -> None:
    """The read-only pages' button back to the list read 归档 ('archive', an order's close
    action, which took the plain msgid 'Close'), on a case, an article, a rating …"""
    from hotline.orders.models import Action
    from hotline.security.models import Where
    from hotline.security.phones import record_export

    ada = User.objects.create_superuser("ada-admin", password="pw")
    client.force_login(ada)
    view = record_export(ada, Where.EXPORT, "export-history: 3 orders")
    page = client.get(
        f"/admin/security/phoneview/{view.pk}/change/", HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert "关闭" in page and "归档" not in page
    with translation.override("zh-hans"):
        assert str(Action.CLOSE.label) == "归档"


@pytest.mark.django_db
def test_the_admins_two_box_chooser_reads_chinese(client: Client) -> None:
    """A kiosk's and a bundle's matters are chosen in two boxes whose instructions came from
    Django's JavaScript catalogue, which leaves them untranslated in zh-Hans: 'Choose 可自助办理的
    事项 by selecting them…', 'Choose all …'. The project's djangojs catalogue supplies them."""
    client.force_login(User.objects.create_superuser("ada-admin", password="pw"))
    catalogue = client.get("/admin/jsi18n/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    for english, chinese in [("Choose all %s", "全选%s"), ("Remove all %s", "全部移除%s")]:
        assert f"{json.dumps(english)}: {json.dumps(chinese)}" in catalogue
