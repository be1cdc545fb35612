"""`import-history --dry-run` printed "line 1: number: 已存在该编号的工单。": the line's words in
English, the problem in Chinese (walk-through, session 25, A-L6). One language."""

from __future__ import annotations

from django.utils import translation

from hotline.orders.history import LineError


def test_a_line_error_reads_in_one_language():
    with translation.override("zh-hans"):
        assert (
            str(LineError(1, "number", "已存在该编号的工单。"))
            == "第 1 行：number：已存在该编号的工单。"
        )
        assert str(LineError(2, "", "不是 JSON。")) == "第 2 行：不是 JSON。"
    with translation.override("en"):
        assert str(LineError(1, "number", "exists.")) == "line 1: number: exists."
