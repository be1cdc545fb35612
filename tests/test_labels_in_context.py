"""Model labels that share an English word with another place but not its meaning (h4's walk of
both languages, session 17): each takes a context, so Chinese readers see the right word."""

from __future__ import annotations

from django.utils import translation

from hotline.assistance.models import AssistAction
from hotline.kb.models import UpkeepState
from hotline.ratings.models import Rating


def test_each_label_reads_as_its_own_meaning_in_chinese_and_unchanged_in_english():
    comment = Rating._meta.get_field("comment").verbose_name
    with translation.override("zh-hans"):
        # was 开放 ("open to the public"): a task waiting for its article's update
        assert str(UpkeepState.OPEN.label) == "待更新"
        # was 提交时间 ("submission time", the portal's column)
        assert str(AssistAction.SUBMIT.label) == "已代为递交"
        # was 点评意见 (a reviewer's comment on a sampled order): the citizen's own words
        assert str(comment) == "群众留言"
    with translation.override("en"):
        assert (str(UpkeepState.OPEN.label), str(AssistAction.SUBMIT.label)) == (
            "Open",
            "Submitted",
        )
        assert str(comment) == "comment"
