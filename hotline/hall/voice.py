"""The offline voice clips in ``static/hall/voice/``: how they were made, and how a call is read.

A display speaks "请A012号到3号窗口" with the browser's own speech synthesis when its system has a
zh-CN voice; otherwise ``hall.js`` plays these clips in the order :func:`clip_names` gives (the
JavaScript mirrors it). They were generated once, offline, with Debian's espeak-ng and are
committed: no display ever calls a cloud service. Regenerate with
``python -m hotline.hall.voice OUTPUT_DIR`` (needs ``apt-get install espeak-ng``).
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import wave
from pathlib import Path

DIGITS = "零一二三四五六七八九"
WORDS = {"qing": "请", "hao": "号", "dao": "到", "chuangkou": "号窗口", "shi": "十"}
# Letters that ticket prefixes use (I and O are left out: they read like 1 and 0).
LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
RATE = 11025  # speech needs no more; keeps each clip a few kilobytes


def clip_names(number: str, window: int) -> list[str]:
    """The clips that read a call: ticket digit by digit, the window as a number."""
    names = ["qing"]
    for char in number:
        if char.isdigit():
            names.append(f"d{char}")
        elif char.upper() in LETTERS:
            names.append(f"l{char.upper()}")
    names += ["hao", "dao"]
    if window >= 20:
        names += [f"d{window // 10}", "shi"]
    elif window >= 10:
        names.append("shi")
    if window % 10 or window == 0:
        names.append(f"d{window % 10}")
    names.append("chuangkou")
    return names


def _speak(text: str, voice: str) -> tuple[bytes, int, int]:
    raw = subprocess.run(
        ["espeak-ng", "-v", voice, "-s", "150", "--stdout", text], capture_output=True, check=True
    ).stdout
    with wave.open(io.BytesIO(raw)) as clip:
        return clip.readframes(clip.getnframes()), clip.getframerate(), clip.getsampwidth()


def generate(folder: Path) -> None:  # pragma: no cover - run once by hand, offline
    import audioop  # deprecated in 3.13; this runs on a developer's machine only

    texts = {**WORDS, **{f"d{i}": d for i, d in enumerate(DIGITS)}}
    jobs = [(name, text, "cmn") for name, text in texts.items()]
    jobs += [(f"l{letter}", letter, "en") for letter in LETTERS]
    for name, text, voice in jobs:
        frames, rate, width = _speak(text, voice)
        frames, _state = audioop.ratecv(frames, width, 1, rate, RATE, None)
        with wave.open(str(folder / f"{name}.wav"), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(width)
            out.setframerate(RATE)
            out.writeframes(frames)


#: What ``python -m hotline.hall.voice`` says instead of a traceback (walk-through, session 25,
#: A-L2). A developer's tool run without Django's settings: not translated.
NEEDS_ESPEAK = "hotline.hall.voice needs espeak-ng: apt-get install espeak-ng (Debian/Ubuntu)"
USAGE = "usage: python -m hotline.hall.voice OUTPUT_DIR (writes the board's .wav clips there)"


def main(argv: list[str]) -> int:
    """Generate the clips into ``argv[0]``; a missing argument or espeak-ng is one line on stderr
    and exit status 2, not a traceback."""
    if len(argv) != 1:
        print(USAGE, file=sys.stderr)
        return 2
    if shutil.which("espeak-ng") is None:
        print(NEEDS_ESPEAK, file=sys.stderr)
        return 2
    folder = Path(argv[0])
    folder.mkdir(parents=True, exist_ok=True)
    generate(folder)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
