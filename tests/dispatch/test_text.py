"""Normalisation: one form for Simplified, Traditional and full-width input."""

from __future__ import annotations

from hotline.dispatch.text import normalize, prepare, segment


def test_traditional_and_simplified_normalise_alike():
    assert normalize("來電人稱樓頂漏水，請儘快處理") == normalize("来电人称楼顶漏水，请尽快处理")


def test_full_width_letters_digits_and_spaces_fold():
    assert normalize("  ＡＢＣ　小区１２号楼  ") == "abc 小区0号楼"
    assert normalize("电话13912345678") == "电话0"


def test_segmentation_drops_punctuation():
    words = segment(normalize("幸福小区电梯经常故障，希望尽快处理。"))
    assert "电梯" in words
    assert "，" not in words and "。" not in words


def test_prepare_gives_characters_and_words():
    [doc] = prepare(["樓頂漏水！"])
    assert doc.chars == "楼顶漏水!"
    assert doc.words.split() == ["楼顶", "漏水"]
