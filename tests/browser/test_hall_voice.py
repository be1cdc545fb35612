"""Which voice the hall board speaks with, in real Chromium (the display's voices stubbed).

The board of a Shanghai hall runs on a PC whose system has a Cantonese (zh-HK) and a Taiwanese
(zh-TW) voice besides the Mandarin one (zh-CN), as Windows has. The board took the first voice
whose language began with "zh": it called "请A001号到2号窗口" in Cantonese when that one came
first, and with only those two it never fell back to the shipped Mandarin clips. It speaks with
the mainland Mandarin voice, and plays the clips when the system has none."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from hotline.hall import actions
from tests.browser.test_hall_story import hall  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser

STUB = """
(function () {
  var voices = %s;
  window.spoken = []; window.played = [];
  Object.defineProperty(window, "speechSynthesis", { configurable: true, value: {
    getVoices: function () { return voices; },
    speak: function (u) {
      window.spoken.push({ text: u.text, voice: u.voice && u.voice.name });
      setTimeout(function () { if (u.onend) u.onend(); }, 0);
    },
  } });
  window.SpeechSynthesisUtterance = function (text) { this.text = text; };
  window.Audio = function (src) {
    var audio = this;
    audio.play = function () {
      window.played.push(src.split("/").pop());
      setTimeout(function () { if (audio.onended) audio.onended(); }, 0);
      return Promise.resolve();
    };
  };
})();
"""


def _until(page, expression: str) -> None:
    """Poll (wait_for_function would evaluate a string, which the board's CSP forbids)."""
    for _ in range(100):
        if page.evaluate(expression):
            return
        page.wait_for_timeout(50)
    raise AssertionError(f"never true: {expression}")


HK = {"name": "Tracy", "lang": "zh-HK"}
TW = {"name": "Hanhan", "lang": "zh-TW"}
CN = {"name": "Huihui", "lang": "zh-CN"}


def _board_hears_a_call(hall, open_as, voices):  # noqa: F811
    board = open_as(None)
    board.add_init_script(STUB % json.dumps(voices))
    board.goto(f"/hall/{hall.hall.code}/board/")
    board.locator("[data-enable-voice]").click()
    actions.sign_in(hall.w2, hall.walt)
    actions.issue(hall.hall, hall.residence)
    actions.call_next(hall.w2, hall.walt)
    expect(board.locator("[data-testid=announced]")).to_contain_text("请A001号到2号窗口")
    return board


def test_the_board_speaks_with_the_mandarin_voice_not_the_first_chinese_one(
    hall,  # noqa: F811
    open_as,
):
    board = _board_hears_a_call(hall, open_as, [HK, TW, CN])
    _until(board, "window.spoken.length === 1")
    assert board.evaluate("window.spoken") == [{"text": "请A001号到2号窗口", "voice": "Huihui"}]
    assert board.evaluate("window.played") == []


def test_without_a_mandarin_voice_the_board_plays_the_shipped_clips(hall, open_as):  # noqa: F811
    board = _board_hears_a_call(hall, open_as, [HK, TW])
    _until(board, "window.played.length >= 8")
    assert board.evaluate("window.spoken") == []
    assert board.evaluate("window.played")[:3] == ["qing.wav", "lA.wav", "d0.wav"]
    assert board.evaluate("window.played")[-1] == "chuangkou.wav"


MUTE_END = """
(function () {
  window.spoken = [];
  var voice = { name: "Huihui", lang: "zh-CN" };
  Object.defineProperty(window, "speechSynthesis", { configurable: true, value: {
    getVoices: function () { return [voice]; },
    speak: function (u) { window.spoken.push(u.text); },  // its end never fires
  } });
  window.SpeechSynthesisUtterance = function (text) { this.text = text; };
})();
"""


def test_a_call_whose_end_never_fires_does_not_silence_the_next(hall, open_as):  # noqa: F811
    """Chromium sometimes never fires an utterance's end: every later call went unspoken."""
    board = open_as(None)
    board.clock.install()
    board.add_init_script(MUTE_END)
    board.goto(f"/hall/{hall.hall.code}/board/")
    board.locator("[data-enable-voice]").click()
    actions.sign_in(hall.w2, hall.walt)
    actions.sign_in(hall.w1, hall.wendy)
    first = actions.issue(hall.hall, hall.residence)
    actions.issue(hall.hall, hall.residence)
    actions.call_next(hall.w2, hall.walt)
    board.clock.run_for(2_000)  # the board's poll brings the call
    _until(board, "window.spoken.length === 1")
    actions.start(first, hall.walt)
    actions.call_next(hall.w1, hall.wendy)
    board.clock.run_for(2_000)
    expect(board.locator("[data-testid=announced]")).to_contain_text("请A002号到1号窗口")
    board.clock.run_for(10_000)  # the first one given up on
    _until(board, "window.spoken.length === 2")
    assert board.evaluate("window.spoken") == ["请A001号到2号窗口", "请A002号到1号窗口"]
