"""What the dispatch app says itself: ``hotline dispatch`` speaks the hotline's language in every
line (as every ``hotline`` command's messages do), the reasons it records are codes shown in the
reader's language (old rows' sentences too), and a candidate the retraining guard refused goes
into use only when the administrator overrules the guard, the list saying so."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from hotline.dispatch import services
from hotline.dispatch.models import DispatchModel, ModelChange
from hotline.dispatch.reasons import ChangeReason
from tests.conftest import at
from tests.dispatch.guard import activate, recorded_model

ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")
CHINESE = re.compile(r"[\u4e00-\u9fff]")

#: The comparison the guard stored with a candidate it kept out (as retraining.retrain writes it).
WORSE = {
    "month": "2024-05",
    "orders": 18,
    "candidate_version": "",
    "candidate_accuracy": 0.5,
    "active_version": "",
    "active_accuracy": 0.8889,
    "active_saw_month": False,
    "decision": "refused",
}


@pytest.fixture
def ada(district):
    district.ada.is_staff = district.ada.is_superuser = True
    district.ada.save(update_fields=["is_staff", "is_superuser"])
    return district.ada


@pytest.fixture
def refused(district, settings, tmp_path):
    """The active model, and a newer candidate the retraining guard kept out (worse on May)."""
    settings.DATA_DIR = tmp_path
    good = recorded_model(tmp_path, at("2024-04-30 09:00"), at("2024-04-30 00:00"))
    activate(good)
    candidate = recorded_model(tmp_path, at("2024-06-03 02:40"), at("2024-05-01 00:00"), shift=1)
    comparison = {**WORSE, "candidate_version": candidate.version, "active_version": good.version}
    DispatchModel.objects.filter(pk=candidate.pk).update(comparison=comparison)
    ModelChange.objects.create(
        kind=ModelChange.Kind.REFUSED,
        via=ModelChange.Via.SCHEDULE,
        target=candidate.target,
        model=candidate,
        previous_version=good.version,
        reason_code=ChangeReason.WORSE,
    )
    candidate.refresh_from_db()
    return good, candidate


def _report() -> str:
    out = io.StringIO()
    call_command("dispatch", "report", stdout=out)
    return out.getvalue()


def test_the_command_speaks_one_language_in_every_line(db):
    chinese = _report()
    assert "准确率" in chinese and not ENGLISH_WORD.search(chinese), chinese
    with pytest.raises(CommandError) as refused:
        call_command("dispatch", "rollback", "nope", "--reason", "x")
    assert CHINESE.search(str(refused.value))

    with translation.override("en"):
        english = _report()
        with pytest.raises(CommandError) as refused:
            call_command("dispatch", "rollback", "nope", "--reason", "x")
    assert "accuracy" in english and not CHINESE.search(english), english
    assert str(refused.value) == "No dispatch model nope."


def test_system_reasons_are_codes_shown_in_the_reader_s_language(client, ada, refused):
    _good, candidate = refused
    change = ModelChange.objects.get(model=candidate)
    assert change.reason == "" and change.reason_code == "worse"
    client.force_login(ada)
    url = reverse("admin:dispatch_modelchange_changelist")
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Worse on 2024-05 (18 orders): 50.0% against 88.9%; the active model is kept." in (
        english
    )
    chinese = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "在 2024-05（18 件工单）上不如在用模型：50.0% 对 88.9%" in chinese


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("训练后立即启用", "trained and activated at once"),
        ("在管理后台启用。", "Activated in the admin."),
        (
            "在 2024-05（18 件工单）上不低于在用模型：80.0% 对 60.0%。",
            "Not worse on 2024-05 (18 orders): 80.0% against 60.0%.",
        ),
        ("新版本把物业投诉派给了交通局", "新版本把物业投诉派给了交通局"),  # a person's words
    ],
)
def test_old_rows_sentences_are_shown_translated(client, ada, refused, stored, shown):
    good, _candidate = refused
    ModelChange.objects.create(
        kind=ModelChange.Kind.ACTIVATED,
        via=ModelChange.Via.COMMAND,
        target=good.target,
        model=good,
        reason=stored,
    )
    client.force_login(ada)
    page = client.get(
        reverse("admin:dispatch_dispatchmodel_change", args=[good.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert shown in page
    if shown != stored:
        assert stored not in page


def test_a_rollback_to_a_refused_candidate_needs_force(refused):
    good, candidate = refused
    with translation.override("en"), pytest.raises(CommandError) as said:
        call_command("dispatch", "rollback", candidate.version, "--reason", "try it")
    message = str(said.value)
    assert "The retraining guard did not activate" in message
    assert "50.0% against 88.9%" in message and "--force" in message
    assert services.active_version() == good.version

    call_command("dispatch", "rollback", candidate.version, "--reason", "try it", "--force")
    assert services.active_version() == candidate.version
    change = ModelChange.objects.filter(model=candidate, kind="rolled_back").get()
    assert change.reason == "try it" and change.previous_version == good.version


def _changelist(client, **post):
    return client.post(
        reverse("admin:dispatch_dispatchmodel_changelist"),
        post,
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    ).content.decode()


@pytest.mark.parametrize("action", ["roll_back", "activate"])
def test_the_admin_asks_to_overrule_the_guard_and_the_list_says_so(client, ada, refused, action):
    good, candidate = refused
    client.force_login(ada)
    url = reverse("admin:dispatch_dispatchmodel_changelist")
    listed = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "(not activated)" in listed

    page = _changelist(client, action=action, _selected_action=[candidate.pk], reason="看看新模型")
    assert "The retraining guard did not activate" in page
    assert "Overrule the retraining guard" in page
    assert services.active_version() == good.version

    page = _changelist(
        client,
        action=action,
        _selected_action=[candidate.pk],
        reason="看看新模型",
        overrule="on",
    )
    assert services.active_version() == candidate.version
    assert "(not activated)" not in page
    assert "not activated by the guard; activated since by an administrator" in page


def test_an_activation_in_the_admin_without_words_is_a_code(client, ada, refused, settings):
    older = recorded_model(settings.DATA_DIR, at("2024-03-01 09:00"), at("2024-03-01 00:00"))
    client.force_login(ada)
    _changelist(client, action="activate", _selected_action=[older.pk], reason="")
    change = ModelChange.objects.get(model=older)
    assert change.reason == "" and change.reason_code == "admin"
    with translation.override("en"):
        assert change.reason_shown == "Activated in the admin."
