"""``hotline kb evaluate``: figures that can be checked by hand on a tiny file."""

from __future__ import annotations

import csv
import json

import pytest
from django.core.management import CommandError, call_command

ARTICLES = [
    (
        "a1",
        "区民政局",
        "低保,救助",
        "申請最低生活保障需要戶口簿、身份證和收入證明，向街道社區事務受理中心提出。",
    ),
    ("a2", "区住房保障局", "公租房", "公共租赁住房面向本市中低收入住房困难家庭，租金低于市场价。"),
    ("a3", "区交通委", "停车", "居民区夜间停车可以申请错峰共享停车位，每月收费两百元。"),
    ("a4", "区市场监管局", "投诉,退款", "网购商品七天无理由退货，商家拒绝可向市场监管部门投诉。"),
]
QUERIES = [
    ("低保怎么申请，要带什么材料", "a1"),  # Simplified query, Traditional article
    ("公租房的租金是多少", "a2"),
    ("晚上小区附近停车位", "a3"),
    ("網購退貨商家不給退", "a4"),  # Traditional query, Simplified article
]


def _write(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def test_evaluate_prints_one_json_line_of_figures(tmp_path, capsys):
    articles, queries = tmp_path / "a.csv", tmp_path / "q.csv"
    _write(articles, ["article_id", "unit", "keywords", "body"], ARTICLES)
    _write(queries, ["query", "article_id"], QUERIES)

    call_command("kb", "evaluate", "--articles", str(articles), "--queries", str(queries))

    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1
    figures = json.loads(lines[0])
    assert figures["articles"] == 4 and figures["queries"] == 4
    assert figures["recall_at_1"] == 1.0 and figures["mrr"] == 1.0
    assert figures["recall_at_5"] == figures["recall_at_10"] == 1.0
    assert figures["search_ms_p95"] >= 0 and figures["index_seconds"] >= 0


def test_a_query_for_a_missing_article_counts_as_a_miss(tmp_path, capsys):
    articles, queries = tmp_path / "a.csv", tmp_path / "q.csv"
    _write(articles, ["article_id", "unit", "keywords", "body"], ARTICLES)
    _write(queries, ["query", "article_id"], [*QUERIES, ("宠物狗办证", "a9")])
    call_command("kb", "evaluate", "--articles", str(articles), "--queries", str(queries))
    figures = json.loads(capsys.readouterr().out)
    assert figures["recall_at_10"] == 0.8 and figures["mrr"] == 0.8


def test_a_file_without_the_columns_is_refused(tmp_path):
    articles, queries = tmp_path / "a.csv", tmp_path / "q.csv"
    _write(articles, ["id", "text"], [("a1", "x")])
    _write(queries, ["query", "article_id"], QUERIES)
    with pytest.raises(CommandError, match="missing column"):
        call_command("kb", "evaluate", "--articles", str(articles), "--queries", str(queries))


SIBLINGS = [
    ("who", "区民政局", "敬老卡", "年满六十五岁并设籍本市的长者可以办理。"),
    ("papers", "区民政局", "敬老卡", "申请敬老卡需要检附身分证影本。"),
]


def test_the_shipped_synonyms_are_used_unless_turned_off(tmp_path, capsys):
    # 资格 is in neither article; the shipped list links it to 年满 (article "who"), which then
    # ranks second behind "papers", which has the query's own 申请.
    articles, queries = tmp_path / "a.csv", tmp_path / "q.csv"
    _write(articles, ["article_id", "unit", "keywords", "body"], SIBLINGS)
    _write(queries, ["query", "article_id"], [("申请资格", "who")])

    call_command("kb", "evaluate", "--articles", str(articles), "--queries", str(queries))
    expanded = json.loads(capsys.readouterr().out)
    call_command(
        "kb", "evaluate", "--articles", str(articles), "--queries", str(queries), "--no-synonyms"
    )
    plain = json.loads(capsys.readouterr().out)

    assert expanded["recall_at_1"] == 0.0 and expanded["recall_at_5"] == 1.0
    assert expanded["mrr"] == 0.5 and expanded["synonym_groups"] == 70
    assert plain["recall_at_5"] == 0.0 and plain["mrr"] == 0.0 and plain["synonym_groups"] == 0


def test_evaluate_s_help_names_the_synonyms_flags(capsys):
    from hotline.kb.management.commands.kb import Command

    parser = Command().create_parser("hotline", "kb")
    evaluate = parser._subparsers._group_actions[0].choices["evaluate"]  # type: ignore[union-attr]
    text = evaluate.format_help()
    assert "--no-synonyms" in text and "shipped with the product" in text
