"""The synonyms list's write path: who may change it, what each change records."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from hotline.kb import actions
from hotline.kb.models import IndexStamp, SynonymAction, SynonymEvent, SynonymGroup
from hotline.kb.rules import Conflict, InvalidInput, NotAllowed
from hotline.kb.search import synonyms as kbsynonyms


def test_the_reviewer_adds_edits_and_removes_a_group_and_each_change_is_an_event(district, rita):
    group = actions.create_group(rita, "资格/条件、符合 年满", reason="问资格的市民多")
    assert group.terms == ["资格", "条件", "符合", "年满"] and not group.one_way

    actions.edit_group(group, rita, "资格/符合/年满", one_way=True, expected_version=1)
    actions.remove_group(group, rita, reason="重复", expected_version=2)

    group.refresh_from_db()
    assert not group.active and group.version == 3
    events = list(SynonymEvent.objects.filter(group=group).order_by("seq"))
    assert [(e.seq, e.action, e.actor) for e in events] == [
        (1, SynonymAction.CREATE, rita),
        (2, SynonymAction.EDIT, rita),
        (3, SynonymAction.REMOVE, rita),
    ]
    assert events[0].reason == "问资格的市民多"
    assert events[1].before == {"terms": ["资格", "条件", "符合", "年满"], "one_way": False}
    assert events[1].terms == ["资格", "符合", "年满"] and events[1].one_way
    assert events[2].reason == "重复"


def test_events_are_append_only(district, rita):
    group = actions.create_group(rita, "户口/户籍")
    event = group.events.get()
    event.reason = "改写历史"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()


def test_every_change_moves_the_index_stamp(district, rita):
    group = actions.create_group(rita, "户口/户籍")
    actions.edit_group(group, rita, "户口/户籍/户口簿")
    actions.remove_group(group, rita)
    assert IndexStamp.objects.get(pk=1).version == 3


@pytest.mark.parametrize("who", ["una", "victor", "olga", "ada"])
def test_only_the_knowledge_reviewer_changes_the_list(district, rita, who):
    someone = getattr(district, who)
    with pytest.raises(NotAllowed):
        actions.create_group(someone, "户口/户籍")
    group = actions.create_group(rita, "户口/户籍")
    with pytest.raises(NotAllowed):
        actions.edit_group(group, someone, "户口/户籍/户口本")
    with pytest.raises(NotAllowed):
        actions.remove_group(group, someone)
    assert SynonymEvent.objects.count() == 1


@pytest.mark.parametrize("terms", ["户口", "户口/户口", " / 、", "户口/" + "长" * 31])
def test_a_group_needs_two_different_short_terms(district, rita, terms):
    with pytest.raises(InvalidInput):
        actions.create_group(rita, terms)
    assert not SynonymGroup.objects.exists()


@pytest.mark.parametrize("terms", ["申請/申请", "ＡＰＰ/app"])
def test_terms_that_search_reads_as_one_are_not_a_group(district, rita, terms):
    with pytest.raises(InvalidInput, match="two different terms"):
        actions.create_group(rita, terms)
    assert not SynonymGroup.objects.exists()


def test_a_term_search_reads_like_an_earlier_one_is_kept_once_as_first_written(district, rita):
    group = actions.create_group(rita, "申請/低保/申请")
    assert group.terms == ["申請", "低保"]


def test_a_stale_edit_is_refused_and_changes_nothing(district, rita):
    group = actions.create_group(rita, "户口/户籍")
    other = SynonymGroup.objects.get(pk=group.pk)
    actions.edit_group(group, rita, "户口/户籍/户口簿", expected_version=1)
    with pytest.raises(Conflict):
        actions.edit_group(other, rita, "户口/户籍/户口本", expected_version=1)
    group.refresh_from_db()
    assert group.terms == ["户口", "户籍", "户口簿"] and group.events.count() == 2


def test_the_default_list_loads_once_as_the_system(district):
    shipped = kbsynonyms.read_file()
    assert 30 <= len(shipped) <= 80
    assert actions.load_default_list(None) == len(shipped)
    assert actions.load_default_list(None) == 0  # what is there already is skipped
    assert SynonymGroup.objects.count() == SynonymEvent.objects.count() == len(shipped)
    assert not SynonymEvent.objects.exclude(actor=None).exists()
