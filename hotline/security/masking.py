"""Masking phone numbers in free text: log lines, access-log URLs, exports.

Imports nothing from the models: the logging filter here is configured before Django's apps load.
"""

from __future__ import annotations

import itertools
import logging
import re
import unicodedata
from collections.abc import Callable, Iterable

from hotline.security.phone_numbers import ascii_digits

#: What may stand between the parts of a number someone typed: a space, dash, dot or plus (a
#: space in a query string), also percent-encoded (%20, %2B, %2D), or their full-width forms (a
#: Chinese input method left in full-width mode types those, and full-width digits: ``\d``
#: matches them, and the digit classes below name both widths).
_SEP = r"(?:[\s\-+.－＋．]|%20|%2[bBdD])?"
#: Not after a digit: a number glued to a percent-encoded byte (%B713812345678) still counts.
_START = r"(?:(?<=%[0-9A-Fa-f]{2})|(?<!\d))"
_COUNTRY = r"(?P<cc>(?:[+＋]|%2[bB]|00|００)?[8８][6６]" + _SEP + r")?"
# Mainland mobile numbers (11 digits, 1[3-9]…, optionally +86) and landlines with an area code
# (010-12345678, 02162345678) or without one (6234 5678, as Shanghai callers give it). Order
# numbers (20230309-000123) match none: their first part is followed by a dash.
_MOBILE = re.compile(
    _START + _COUNTRY + r"(?P<n>[1１][3-9３-９]\d" + _SEP + r"\d{4}" + _SEP + r"\d{4})(?![\d])"
)
#: A number that a dot and more digits follow is a link in a dotted chain, no phone number:
#: "15.2026.1201.3" (a version, a reference number) holds no local number "2026.1201", though
#: "6234.5678" alone is one (brief, session 24). Only what follows: "+86.21.6234.5678" (country
#: and area code before the number, dotted) is still masked.
_NOT_DOTTED_AFTER = r"(?![.．]\d)"
_LANDLINE = re.compile(
    r"(?:(?<=%[0-9A-Fa-f]{2})|(?<![\d\-－]))"
    + _COUNTRY
    + r"(?P<n>[0０]\d{2,3}"
    + _SEP
    + r"\d{3,4}"
    + _SEP
    + r"\d{4})(?![\d])"
    + _NOT_DOTTED_AFTER
)
_LOCAL = re.compile(
    r"(?:(?<=%[0-9A-Fa-f]{2})|(?<![\d\-－]))"
    + r"(?P<n>[2-9２-９]\d{2,3}"
    + _SEP
    + r"\d{4})(?![\d\-－])"
    + _NOT_DOTTED_AFTER
)
_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")


def mask_number(text: str) -> str:
    """One phone number masked: at most the last four digits show, and never more than half of
    them (8 digits: ``****5678``; 11: ``*******5678``; 5: ``***45``). Separators and percent
    escapes stay as written. :func:`hotline.orders.models.mask_phone` is this function."""
    digits = sum(ch.isdigit() for ch in _ESCAPE.sub("", text))
    shown = min(4, digits // 2)
    out, seen, i = [], 0, 0
    while i < len(text):
        escape = _ESCAPE.match(text, i)
        if escape:
            out.append(escape.group(0))
            i = escape.end()
            continue
        ch = text[i]
        if ch.isdigit():
            seen += 1
            ch = ch if seen > digits - shown else "*"
        out.append(ch)
        i += 1
    return "".join(out)


def _masked(match: re.Match[str]) -> str:
    # The country code is no one's secret: only the number after it is masked.
    return (match.groupdict().get("cc") or "") + mask_number(match.group("n"))


def mask_text(text: str) -> str:
    """What the logs, the access log's URLs and exports hold, masked: every phone number
    (138****5678 → *******5678), and the numbers :func:`mask_personal` masks in public text by
    the same rules (:func:`_mask_numbers`): a number with invisible characters between its
    digits, in separated parts ((139)1234-5678, 139·1234·5678), in thousands' commas
    (13,912,345,678), a bank card, an identity card's number (18 or 15 digits), QQ and passport
    numbers after their word (note, session 24: the log masker had the phone patterns only), and
    written in Chinese numerals or circled digits (一三九一二三四五六七八, ①③⑨…: brief h2,
    session 27; c70a519 had left those to public text, and an order's title in a notice's log
    line held the whole number). E-mail addresses are left: a log names accounts by them."""
    if not text:
        return text
    return _keeping_invisible(text, _mask_numbers)


#: Two years side by side ("2026 2027", "2026-2027"): a list or a span of years, not a local
#: number, unless the text says a number comes (电话2026 2027).
_YEARS = re.compile(r"(?:19|20)\d{2}\D{1,3}(?:19|20)\d{2}")
_PHONE_WORD = re.compile(
    r"(?:电话|手机|号码|联系方式|致电|拨打|来电|热线|tel|phone)\W{0,3}$", re.IGNORECASE
)


def _local_masked(match: re.Match[str]) -> str:
    number = match.group("n")
    if _YEARS.fullmatch(number) and not _PHONE_WORD.search(match.string, 0, match.start()):
        return match.group()
    return _masked(match)


#: A mobile with a letter between its parts ("138a1234b5678", "139 x 1234 y 5678"), written so
#: to slip past a filter: each letter alone, not part of a word, in the 3-4-4 grouping.
_MOBILE_LETTERED = re.compile(
    r"(?<![\dA-Za-zＡ-Ｚａ-ｚ])[1１][3-9３-９]\d"
    r" ?[A-Za-zＡ-Ｚａ-ｚ] ?\d{4} ?[A-Za-zＡ-Ｚａ-ｚ] ?\d{4}(?![\dA-Za-zＡ-Ｚａ-ｚ])"
)


def _mask_phones(text: str) -> str:
    """Every phone number found in ``text`` masked by the patterns above. A number written in
    another script's digits (Arabic-Indic ``١٣٩…``, which the patterns' first digits do not
    match) is found in the text with its digits read as ASCII (:func:`ascii_digits`, one
    character for one), and masked where it stands, its shown digits as written (review,
    session 19: such a number passed into Open311's public text and the access log)."""
    folded = ascii_digits(text)
    masked = folded
    for pattern in (_MOBILE, _LANDLINE):
        masked = pattern.sub(_masked, masked)
    masked = _MOBILE_LETTERED.sub(lambda m: mask_number(m.group()), masked)
    masked = _LOCAL.sub(_local_masked, masked)
    if folded is text:
        return masked
    return "".join(
        "*" if now == "*" and was != "*" else original
        for original, was, now in zip(text, folded, masked, strict=True)
    )


#: The addresses that carry a secret in their path: whoever has the whole address holds what it
#: opens (a pre-review's ID scans, a rating link, a ticket, a password reset). ``keep`` is the
#: path up to the secret; ``cancel/``, ``set-password/`` and ``pad/live`` are pages, not secrets.
_SECRET_PATH = re.compile(
    r"(?P<keep>/(?:portal/prereview/s|portal/rate|ratings/visit|ratings/r|ratings/pad|hall/ticket"
    r"|hall/place|hall/[^/?#\s]+/(?:book|appointments)|hall/appointments|accounts/reset/[^/?#\s]+)/)"
    r"(?!(?:cancel|set-password|live)(?:[/?#\s]|$))(?P<secret>[^/?#\s&\"]+)"
)
#: Query parameters that carry one: Open311's ``api_key`` (clients should post it in the body),
#: the portal's signed ``t`` (its "submitted" page), a booking's code on its cancel page, the
#: pre-review invitation's ``from`` (the link a 12345 operator texts; a date there is the
#: dashboards' period, no secret, and stays).
_SECRET_PARAM = re.compile(
    r"(?P<keep>(?:^|[?&;\s])(?:api_key|t|booking|from(?!=\d{4}-\d{2}-\d{2}(?:[&#;\s\"]|$)))=)"
    r"(?P<secret>[^&#\s\"]+)"
)

#: A cheap test first: the log formats every atom of every request.
_PATH_WORDS = ("/portal/", "/ratings/", "/hall/", "/accounts/reset/")


def _cut(match: re.Match[str]) -> str:
    secret = match.group("secret")
    # A few characters to tell requests apart (four of a long token, two of a short code).
    return match.group("keep") + secret[: min(4, len(secret) // 4)] + "..."


def mask_secrets(text: str) -> str:
    """An address with its secrets cut to their first few characters: the token in a private
    link's path (``/portal/prereview/s/IZ-I7b…/`` → ``/portal/prereview/s/IZ-I.../``) and the
    value of ``api_key=``, ``t=``, ``booking=`` and ``from=`` (attack finding, session 20: the
    access log held Open311 keys and the links to citizens' ID scans in clear). docs/deploy.md's
    nginx ``log_format`` does the same for the proxy's log (which holds no query string)."""
    if not text:
        return text
    if any(word in text for word in _PATH_WORDS):
        text = _SECRET_PATH.sub(_cut, text)
    if "=" in text:
        text = _SECRET_PARAM.sub(_cut, text)
    return text


#: Also with a full-width ＠ or dots (a Chinese input method's): wang.wu＠qq．com.
_EMAIL = re.compile(r"(?<![\w.+\-．])([\w.+\-．])[\w.+\-．]*([@＠])([\w-]+(?:[.．][\w-]+)+)")
#: 居民身份证号码: 17 digits and a check digit or X, in either width, written whole or in its
#: three parts (area, birth date, sequence and check: "310101 19900101 1234").
_ID_SEP = r"[ \-\u3000－]?"
_ID_CARD = re.compile(
    r"(?<![\dA-Za-zＡ-Ｚａ-ｚ])(\d{6})(" + _ID_SEP + r")\d{8}(" + _ID_SEP + r")(\d{3}[\dXxＸｘ])"
    r"(?![\dA-Za-zＡ-Ｚａ-ｚ])"
)


#: Chinese numerals as a number is read out digit by digit (幺 is the spoken 1): one character
#: for one digit, so a number written so is found as :func:`mask_text` finds another script's.
# Everyday (一…九, 〇/零, 幺 for 1), financial (壹…玖) and spoken (两 2, 拐 7, 洞 0) numerals,
# and ○ (U+25CB, a white circle), which many type for 〇 (幺三九○○○○一二三四: session 30, h7).
_CHINESE_DIGITS = str.maketrans(
    "〇○零幺一二三四五六七八九壹贰叁肆伍陆柒捌玖两拐洞", "0001123456789123456789270"
)
#: Digits that are not decimal digits (``\d`` and :func:`ascii_digits` leave them): circled
#: ①…⑨ ⓪, ❶…❾, ➀…➈, ➊…➒, ⓵…⓽, parenthesised ⑴…⑼, ⒈…⒐, super- and subscripts (attack
#: report, session 23: ①③⑨①②③④⑤⑥⑦⑧ was published whole). One character for one digit, folded
#: with the Chinese numerals.
_OTHER_DIGITS = {
    code: str(unicodedata.digit(chr(code)))
    for block in ((0xB2, 0xBA), (0x2070, 0x208A), (0x2460, 0x2500), (0x2776, 0x2794))
    for code in range(*block)
    if unicodedata.digit(chr(code), None) is not None and not chr(code).isdecimal()
}
_FOLDED_DIGITS = _CHINESE_DIGITS | _OTHER_DIGITS


#: A number written in separated parts ("1 3 9 1 2 3 4 5 6 7 8", "1391 234 5678", "139 - 1234 -
#: 5678"): runs of digits (an ID number's last may be X) with at most three spaces (full-width
#: too), hyphens or dots between them.
_PART = re.compile(
    r"\d+(?:[XxＸｘ](?![A-Za-zＡ-Ｚａ-ｚ]))?|(?<![A-Za-zＡ-Ｚａ-ｚ])[XxＸｘ](?![A-Za-zＡ-Ｚａ-ｚ])"
)
_CHECK_X = str.maketrans("xＸｘ", "XXX")
#: Between the parts: a run of spaces, or a few punctuation marks or symbols with spaces round
#: them, and at most one line break. Any punctuation or symbol (Unicode's categories P* and Sm,
#: Sk, So), not a list of them: the lists of sessions 23 and 24 (hyphens, dots, commas, 顿号,
#: slashes, bars, brackets, dot marks …) kept missing the dashes a word processor or a web page
#: types (U+2010, U+2011, U+2012, U+2212, U+FE63), 。, quotes and arrows (h4's finding 2,
#: session 25: Open311 published "139\u22121234\u22125678" whole). Letters, digits and
#: ideographs are never a gap; nor a currency sign or a percent sign, which say a number is an
#: amount; 丨 and ー are, as an input method types them for a bar and a dash.
_GAP_MARKS = frozenset(("Pc", "Pd", "Po", "Ps", "Pe", "Pi", "Pf", "Sm", "Sk", "So"))
_NOT_GAP = frozenset("%％‰‱٪﹪")
_ALSO_GAP = frozenset("丨ー")


def _gap(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` may stand between two parts of one number: one to eight
    spaces ("139    1234    5678", a form's alignment), or one to four marks with up to six
    spaces round them ("139 -- 1234", "139－－－－1234"), one of them a line break at most."""
    if not 0 < end - start <= 12:
        return False
    spaces = marks = breaks = 0
    at = start
    while at < end:
        ch = text[at]
        if ch == "\r" and text.startswith("\r\n", at) and at + 1 < end:
            at += 1
            breaks += 1
        elif ch in "\r\n":
            breaks += 1
        elif ch.isspace():
            spaces += 1
        elif ch in _ALSO_GAP or (unicodedata.category(ch) in _GAP_MARKS and ch not in _NOT_GAP):
            marks += 1
        else:
            return False
        at += 1
    if breaks > 1:
        return False
    if not marks and not breaks:
        return spaces <= 8
    return marks + breaks <= 4 and spaces <= 6


#: 13,500,000,000: an amount in thousands, never a phone number however its digits read, nor
#: part of one: joined parts that take in any of its digits are no number ("18,000、25,000、6,500
#: 元" made 18000250006: review, session 23, MEDIUM-2).
_THOUSANDS = re.compile(r"(?<!\d)\d{1,3}(?:[,，]\d{3})+(?!\d)")
_MOBILE_DIGITS = re.compile(r"1[3-9]\d{9}")
#: 18 characters read as an ID number: area, a birth date that could be one, sequence, check.
_ID_DIGITS = re.compile(r"\d{6}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dX]")
#: 15 digits read as a first-generation ID number (still printed on old documents): a province's
#: area code, a birth date without its century (YYMMDD), a sequence; no check digit.
_ID15_DIGITS = re.compile(
    r"(?:1[1-5]|2[1-3]|3[1-7]|4[1-6]|5[0-4]|6[1-5]|71|8[12])\d{4}"
    r"\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}"
)
_ID15 = re.compile(r"(?<![\dA-Za-zＡ-Ｚａ-ｚ*])(\d{6})(\d{6})(\d{3})(?![\dA-Za-zＡ-Ｚａ-ｚ*])")
#: A mobile in thousands' commas (13,912,345,678) is an amount when money or a measure follows
#: or precedes it, or it is round (13,500,000,000); otherwise it is the mobile it reads as.
_AMOUNT_AFTER = re.compile(
    r"\s*(?:[.．]\d|[元圆块万亿千百角%％‰美港欧英日镑平米吨公斤克人次户个件台辆]"
    r"|人民币|RMB|CNY|USD|HKD|EUR|yuan|kg|km)",
    re.IGNORECASE,
)
_AMOUNT_BEFORE = re.compile(r"(?:[¥￥$€£]|RMB|CNY|USD|HKD|EUR)\s*$", re.IGNORECASE)
#: Words before a bank card's or account's number: 卡号, 银行卡, 工资卡, 账号, 帐户…
_CARD_WORD = re.compile(r"[卡账帐]")


def _mobile_grouping(text: str, parts: list[re.Match[str]]) -> bool:
    """Whether the parts are grouped as people write a mobile number: the last part carries at
    least three digits (3-4-4, 4-3-4, 3-8, 3-2-2-4, 2-2-2-2-3), every part one or two with the
    same gap between them all (1 3 9 1 …, 13 91 23 45 67 8; not a schedule's
    "1/19 00:00- 1/22 24:00", session 27), or the first part is the mobile's three-digit prefix,
    however the rest is grouped (139 1234 56 78, 139-123-456-78, 139 12 34 56 78: h4's finding
    L, session 24: af2ee7c published those whole). A reference number's "15-2026-1201-3" is not
    (review, session 23, MEDIUM-2: it was published as "**-****-*201-3")."""
    lengths = [len(part.group()) for part in parts]
    if lengths[-1] >= 3 or lengths[0] == 3:
        return True
    gaps = {text[a.end() : b.start()] for a, b in itertools.pairwise(parts)}
    return max(lengths) <= 2 and len(gaps) == 1


def _id_grouping(text: str, parts: list[re.Match[str]]) -> bool:
    """Whether the parts are grouped as people write an ID number: in parts of three characters
    or more but the last (310101 19900101 1234, 3101 0119 9001 0112 34), or in ones or twos with
    the same gap between all of them (3 1 0 1 0 1 …, 31-01-01-19 …). A schedule's small numbers
    are not: "1/22 13:00 (2) 1/23 11:00" read as the old ID number 122130021231100 and was masked
    (real KB schedules, session 27)."""
    lengths = [len(part.group()) for part in parts]
    if min(lengths[:-1]) >= 3:
        return True
    gaps = {text[a.end() : b.start()] for a, b in itertools.pairwise(parts)}
    return max(lengths[:-1]) <= 2 and len(gaps) == 1


def _spaced_four_five_two(text: str, parts: list[re.Match[str]]) -> bool:
    """Whether the parts are a mobile spaced 4-5-2 (1391 23456 78), one space apart: a list of
    amounts or years is written with commas or 、 (1391、23456、78), and a reference number with
    hyphens (15-2026-1201-3), not so."""
    gaps = {text[a.end() : b.start()] for a, b in itertools.pairwise(parts)}
    return [len(part.group()) for part in parts] == [4, 5, 2] and gaps == {" "}


#: A date: year, month, day (2026-12-01). After a three-digit number and another separator
#: ("房间 135 2026-12-01") it is a date beside a number, not the rest of a mobile.
_DATE_PARTS = re.compile(r"(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])")


def _date_after_a_number(text: str, parts: list[re.Match[str]]) -> bool:
    """Whether these parts are a three-digit number and then a date written with another
    separator than the one after the number: "135 2026-12-01" (two things), while
    "139 2012 05 16" and "139-2026-12-01" are a mobile written in one grouping."""
    if [len(part.group()) for part in parts] != [3, 4, 2, 2]:
        return False
    gaps = [text[a.end() : b.start()] for a, b in itertools.pairwise(parts)]
    date = "".join(ascii_digits(part.group()) for part in parts[1:])
    return bool(_DATE_PARTS.fullmatch(date)) and gaps[1] == gaps[2] and gaps[0] != gaps[1]


def _luhn(digits: str) -> bool:
    total = 0
    for at, ch in enumerate(reversed(digits)):
        n = int(ch) * (2 if at % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def _card_grouping(lengths: list[int]) -> bool:
    """Written whole, or in fours (the last part shorter): 6222 0212 3456 7890 128."""
    return len(lengths) == 1 or (all(n == 4 for n in lengths[:-1]) and lengths[-1] <= 4)


def _mobile_in_thousands(text: str, match: re.Match[str]) -> bool:
    digits = ascii_digits(re.sub(r"[,，]", "", match.group()))
    return (
        bool(_MOBILE_DIGITS.fullmatch(digits))
        and not digits.endswith("000")
        and not _AMOUNT_AFTER.match(text, match.end())
        and not _AMOUNT_BEFORE.search(text, 0, match.start())
    )


def _covered(text: str, spans: Iterable[tuple[int, int]]) -> Callable[[int, int], bool]:
    """Whether ``text[start:end]`` shares a character with any of ``spans``, in constant time: a
    running count of the characters the spans cover. Asking each span in turn made masking a
    text of many numbers quadratic (attack, session 27: 4,000 characters of ``1,000-1,000-…``,
    what a citizen may type into an order, took 0.2-0.7 s on every Open311 list that showed it)."""
    inside = [0] * (len(text) + 1)
    for at, stop in spans:
        inside[at] += 1
        inside[stop] -= 1
    running, before = 0, [0]
    for step in inside[:-1]:
        running += step
        before.append(before[-1] + (running > 0))
    return lambda start, end: before[end] > before[start]


def _mask_cards(text: str) -> str:
    """Bank card numbers (16 to 19 digits, whole or in fours) masked but their last four digits:
    those that pass the cards' check digit (Luhn), and any after 卡 or 账 ("工资卡号…", "账号…":
    some cards carry no such check). An ID number (18 characters that read as one) is not a
    card: :func:`mask_personal` masks its birth date."""
    parts = list(_PART.finditer(text))
    if not parts:
        return text
    in_amount = _covered(text, ((m.start(), m.end()) for m in _THOUSANDS.finditer(text)))
    chains: list[list[re.Match[str]]] = [[parts[0]]]
    for before, part in itertools.pairwise(parts):
        if _gap(text, before.end(), part.start()):
            chains[-1].append(part)
        else:
            chains.append([part])
    hidden: set[int] = set()
    for chain in chains:
        for i in range(len(chain)):
            digits = ""
            for j in range(i, len(chain)):
                digits += ascii_digits(chain[j].group())
                if not digits.isdigit() or len(digits) > 19:
                    break
                start, end = chain[i].start(), chain[j].end()
                if len(digits) < 16 or in_amount(start, end):
                    continue
                if not _card_grouping([len(part.group()) for part in chain[i : j + 1]]):
                    continue
                if len(digits) == 18 and _ID_DIGITS.fullmatch(digits):
                    continue
                if _luhn(digits) or _CARD_WORD.search(text, max(0, start - 8), start):
                    places = [at for at in range(start, end) if text[at].isdigit()]
                    hidden.update(places[:-4])
    if not hidden:
        return text
    return "".join("*" if at in hidden else ch for at, ch in enumerate(text))


def _id15_masked(match: re.Match[str]) -> str:
    if not _ID15_DIGITS.fullmatch(ascii_digits(match.group())):
        return match.group()
    return match.group(1) + "*" * len(match.group(2)) + match.group(3)


#: QQ numbers and passports, only after the word that names them (a QQ number is any five to
#: eleven digits, a passport's a letter and eight digits: alone they are no one's).
_QQ = re.compile(
    r"(?<![A-Za-z])(?:QQ|扣扣)(?:号码?|号)?\s*[:：]?\s*(\d{5,11})(?!\d)", re.IGNORECASE
)
_PASSPORT = re.compile(
    r"(?:护照|passport)(?:号码?|号|\s*no\.?)?\s*[:：]?\s*[A-Za-z]{1,2}(\d{7,8})(?!\d)",
    re.IGNORECASE,
)


def _mask_named_numbers(text: str) -> str:
    for pattern in (_QQ, _PASSPORT):
        text = pattern.sub(
            lambda m: m.group()[: m.start(1) - m.start()] + mask_number(m.group(1)), text
        )
    return text


def _digit_places(text: str, parts: list[re.Match[str]]) -> list[int]:
    """Where the digits of ``parts`` stand in ``text``."""
    return [at for part in parts for at in range(part.start(), part.end()) if text[at].isdigit()]


def _mask_separated(text: str) -> str:
    """Mobile and ID numbers written in separated parts masked as written: of a mobile, all but
    the last four digits; of an ID number, the birth date, as :data:`_ID_CARD` does. Only where
    whole parts put together make one: 11 digits ``1[3-9]…`` or 18 characters that read as an ID
    number, so dates (2026-12-06), amounts (1 234 567), order numbers (20261206-000123) and house
    numbers (3 4 5 号楼) stay; never digits of an amount in thousands (18,000、25,000、6,500), and
    a mobile only in a grouping people write one in (:func:`_mobile_grouping`). A number typed
    whole is the other patterns' business."""
    parts = list(_PART.finditer(text))
    if len(parts) < 2:
        return text
    in_amount = _covered(
        text,
        (
            (m.start(), m.end())
            for m in _THOUSANDS.finditer(text)
            if not _mobile_in_thousands(text, m)
        ),
    )
    chains: list[list[re.Match[str]]] = [[parts[0]]]
    for before, part in itertools.pairwise(parts):
        # An X ends an ID number: nothing after it belongs to the same one.
        if _gap(text, before.end(), part.start()) and before.group()[-1].isdigit():
            chains[-1].append(part)
        else:
            chains.append([part])
    hidden: set[int] = set()
    for chain in chains:
        for i in range(len(chain) - 1):
            digits = ascii_digits(chain[i].group()).translate(_CHECK_X)
            for j in range(i + 1, len(chain)):
                digits += ascii_digits(chain[j].group()).translate(_CHECK_X)
                if len(digits) > 18:
                    break
                start, end = chain[i].start(), chain[j].end()
                if in_amount(start, end):
                    continue
                # The digits' places are listed only for a number masked (most pairs of
                # parts make none): listing them for every pair cost a third of the time.
                if (
                    len(digits) == 11
                    and _MOBILE_DIGITS.fullmatch(digits)
                    and (
                        _mobile_grouping(text, chain[i : j + 1])
                        or _spaced_four_five_two(text, chain[i : j + 1])
                    )
                    and not _date_after_a_number(text, chain[i : j + 1])
                ):
                    hidden.update(_digit_places(text, chain[i : j + 1])[:-4])
                elif (
                    len(digits) == 18
                    and _ID_DIGITS.fullmatch(digits)
                    and _id_grouping(text, chain[i : j + 1])
                ):
                    hidden.update(_digit_places(text, chain[i : j + 1])[6:14])
                elif (
                    len(digits) == 15
                    and _ID15_DIGITS.fullmatch(digits)
                    and _id_grouping(text, chain[i : j + 1])
                ):
                    hidden.update(_digit_places(text, chain[i : j + 1])[6:12])
    if not hidden:
        return text
    return "".join("*" if at in hidden else ch for at, ch in enumerate(text))


def mask_personal(text: str) -> str:
    """Text meant for the public (Open311's published requests): phone numbers, e-mail addresses
    and identity-card numbers a citizen or a unit wrote into it are masked; phone numbers written
    in Chinese numerals too (一三九一二三四五六七八: attack report, session 22), and numbers with
    invisible characters between their digits (:func:`_invisible`). The numbers' rules are the
    logs' :func:`mask_text`'s too; the e-mail addresses are public text's only."""
    if not text:
        return text
    text = _ID_CARD.sub(_id_masked, text)
    text = _EMAIL.sub(lambda m: m.group(1) + "***" + m.group(2) + m.group(3), text)
    return _keeping_invisible(text, _mask_numbers)


def _keeping_invisible(text: str, mask: Callable[[str], str]) -> str:
    """``mask`` (which keeps the length) applied to ``text``. Invisible characters between the
    digits split a number into parts no pattern takes (139\u200b1234\u200b5678: h4's finding B,
    session 24): the numbers are found in the text without them, and the masks put back around
    them. Text without them takes the plain path."""
    if not any(_invisible(ch) for ch in text):
        return mask(text)
    masked = iter(mask("".join(_visible(text))))
    return "".join(ch if _invisible(ch) else next(masked) for ch in text)


def _id_masked(match: re.Match[str]) -> str:
    return match.group(1) + match.group(2) + "********" + match.group(3) + match.group(4)


def _invisible(ch: str) -> bool:
    """A character that shows nothing of its own: a format character (zero-width space, joiners,
    word joiner, byte order mark, soft hyphen, direction marks) or a mark drawn on the character
    before it (a variation selector, a keycap's frame)."""
    return unicodedata.category(ch) in ("Cf", "Mn", "Me")


def _visible(text: str) -> list[str]:
    return [ch for ch in text if not _invisible(ch)]


def _mask_numbers(text: str) -> str:
    """The phone, ID, bank card, QQ and passport numbers public text and logs alike mask, the
    masks keeping the text's length; also those written in Chinese numerals or circled digits."""
    text = _ID_CARD.sub(_id_masked, text)
    text = _mask_named_numbers(_ID15.sub(_id15_masked, _mask_cards(text)))
    # Before the phone patterns: the landline one would take the tail of "1391 234 5678" for a
    # local number (2345678) and leave the rest in clear.
    text = _mask_separated(text)
    # Numbers as written first: folded, a numeral beside one ("13912345678两次", "三楼") would
    # join its digits into a longer run no phone pattern matches (review, session 22).
    text = _mask_phones(text)
    folded = _fold_numerals(text)
    if folded == text:
        return text
    # An ID number in numerals too; the masks keep the length, so they map back character by
    # character onto the text as written.
    masked = _mask_phones(
        _mask_separated(_ID15.sub(_id15_masked, _ID_CARD.sub(_id_masked, folded)))
    )
    return "".join(
        "*" if now == "*" and was != "*" else original
        for original, was, now in zip(text, folded, masked, strict=True)
    )


def _fold_numerals(text: str) -> str:
    """``text`` with its numerals and other digits read as ASCII digits, one character for one,
    but a numeral standing alone: a number read out digit by digit has numerals side by side
    (一三九…, spaces between them at most), while a weekday's (10/31(六)9:00-10:30) or a floor's
    (三楼) numeral beside written digits would join them into a mobile that is not there (real
    schedules of the shared data: session 27, when the logs began to read numerals)."""
    folded = text.translate(_FOLDED_DIGITS)
    if folded == text:
        return text
    out = list(folded)
    for at, ch in enumerate(text):
        if out[at] != ch and not (_numeral_beside(text, at, -1) or _numeral_beside(text, at, 1)):
            out[at] = ch
    return "".join(out)


def _numeral_beside(text: str, at: int, step: int) -> bool:
    """Whether the first character past ``at`` in the direction ``step``, spaces skipped, is a
    numeral or another digit :data:`_FOLDED_DIGITS` reads."""
    at += step
    while 0 <= at < len(text) and text[at].isspace():
        at += step
    return 0 <= at < len(text) and ord(text[at]) in _FOLDED_DIGITS


#: What may stand between the characters of a name as written: spaces, a middle dot (an
#: ethnic minority's or a foreigner's name: 阿依古丽·买买提), invisible characters.
_NAME_GAP = r"[\s·•・\u00ad\u200b-\u200f\u2060\ufeff]*"


def mask_name(text: str, name: str) -> str:
    """Every occurrence of a person's name in ``text`` cut to its first character, the rest one
    ``*`` each (张三 → 张*, 王小明 → 王**, Li Si → L* **): the caller's own name, which the order
    knows, in what is published of it (h4's finding C, session 24: Open311 published "我叫王小明"
    whole). Written with spaces or dots between its characters too, in any letter case, and a
    Latin name with its words the other way round (Si Li). A name of one character is left: it
    is no one's name alone, and would mask every word it is part of.

    A name stored with a title (王小明先生) is also found without it, and a Chinese name stored
    surname last (小明王: a partner app that sends 姓 as ``first_name``, Open311 joining last and
    first) also with that surname first (h4's finding 3, session 25: both were published whole)."""
    if not text:
        return text
    forms = _names_as_written(name)
    given_names = {_given_name("".join(words)) for words in forms} - {""}
    for words in forms:
        letters = "".join(words)
        pattern = _NAME_GAP.join(re.escape(ch) for ch in letters)
        # A Latin name is a whole word: Li Si is not in "Lisieux".
        if letters[0].isascii() and letters[0].isalpha():
            pattern = r"(?<![A-Za-z])" + pattern
        if letters[-1].isascii() and letters[-1].isalpha():
            pattern += r"(?![A-Za-z])"
        elif not letters[-1].isascii():
            # Followed by 路, 街, 区 …, the same characters are a place: a caller named 江宁 does
            # not mask 江宁路 (review, session 24).
            pattern += _NOT_A_PLACE
        masked = _given_name_masked if letters in given_names else _name_masked
        text = re.sub(pattern, masked, text, flags=re.IGNORECASE)
    return text


#: Fixed phrases that hold a given name people are often given (建国, 国庆, 文明, 和平 …): there
#: the word is the phrase's, not the caller's, and the given name alone stays ("建国以来" of a
#: caller 王建国; brief h2, session 27). Only the given name alone: the whole name (王建国) is
#: masked wherever it stands; and only these phrases, where the word cannot be a person's
#: ("建国说", "建国后来又打了电话" are the caller's).
_FIXED_PHRASES = (
    "建国以来", "建国初期", "建国之初", "建国周年", "新中国建国", "建军节", "建党节", "建党百年",
    "国庆节", "国庆期间", "国庆假期", "国庆长假", "国庆黄金周", "国庆以来",
    "爱国卫生", "爱国主义", "爱国者",
    "文明城市", "文明创建", "创建文明", "文明施工", "文明养犬", "文明出行", "文明行为", "文明单位",
    "文明礼貌", "不文明", "精神文明",
    "世界和平", "和平年代", "和平饭店", "平安夜", "平安建设", "出入平安", "平安无事", "平安保险",
    "光明正大", "光明乳业", "乡村振兴", "振兴发展", "惠民政策", "惠民工程", "便民惠民",
    "为民办实事", "执法为民", "便民利民", "建设工地", "建设单位", "城市建设", "工程建设",
    "解放军", "解放以来", "新华书店", "新华社", "胜利完成", "取得胜利",
)  # fmt: skip


def _in_fixed_phrase(text: str, start: int, end: int) -> bool:
    word = text[start:end]
    for phrase in _FIXED_PHRASES:
        at = phrase.find(word)
        while at >= 0:
            if start >= at and text.startswith(phrase, start - at):
                return True
            at = phrase.find(word, at + 1)
    return False


def _given_name_masked(match: re.Match[str]) -> str:
    if _in_fixed_phrase(match.string, match.start(), match.end()):
        return match.group()
    return _name_masked(match)


#: What follows a surname in a name as it is sometimes stored (王小明先生, 王女士).
_TITLES = ("先生", "女士", "小姐", "同志", "老师", "师傅")
#: The commonest surnames (well over four in five people bear one), and a few of two characters.
_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶"
    "程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛顾毛郝龚邵钱严戴孔汤"
)
_DOUBLE_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "慕容", "令狐", "司徒", "夏侯")


def _names_as_written(name: str) -> list[list[str]]:
    """The ways ``name`` may be written in a text, each as its words: as stored; a Latin name's
    words the other way round; without a title; a Chinese name whose surname was stored last,
    with it first. None of fewer than two characters."""
    words = name.split()
    found = [words] + ([words[::-1]] if len(words) > 1 else [])
    if len(words) == 1 and all("\u4e00" <= ch <= "\u9fff" for ch in words[0]):
        plain = words[0]
        for title in _TITLES:
            if plain.endswith(title) and len(plain) - len(title) >= 2:
                plain = plain.removesuffix(title)
                found.append([plain])
                break
        if 2 <= len(plain) <= 4:
            double = next((s for s in _DOUBLE_SURNAMES if plain.endswith(s)), None)
            if double and len(plain) > 2:
                found.append([double + plain[:-2]])
            elif plain[-1] in _SURNAMES and not double:
                found.append([plain[-1] + plain[:-1]])
        # The given name alone (张三丰 → 三丰: "三丰说…"), where the surname is known and two
        # characters at least are left; of 张三 the 三 alone is no one's name.
        for written in [w[0] for w in found]:
            given = _given_name(written)
            if given and [given] not in found:
                found.append([given])
    return [written for written in found if sum(len(word) for word in written) >= 2]


def _given_name(name: str) -> str:
    if len(name) > 4:
        return ""
    double = next((s for s in _DOUBLE_SURNAMES if name.startswith(s)), None)
    if double:
        return name[len(double) :] if len(name) - len(double) >= 2 else ""
    return name[1:] if name[0] in _SURNAMES and len(name) >= 3 else ""


#: After a Chinese name, what makes it a place's name instead: a road, street, lane, district,
#: town, village, bridge (路, 街, 巷, 弄, 区 …), an avenue or an estate (大道, 花园, 新村, 小区 …),
#: and a building or a square named after its area (大厦, 大楼, 广场, 地铁站, 火车站 …: a caller
#: named 张江 does not mask 张江大厦; brief h2, session 27). 路 and 街 only where they
#: do not begin a word said of a person: 路过, 路遇 ("王建国路过小区门口"), 街头, 街坊 (but
#: 建国路过街天桥 is the road's footbridge).
#: 站, 道, 里, 园 only where the place's name ends there (:data:`_PLACE_ENDS`): after a person
#: they begin words (王小明站在楼下, 道歉, 里外, 园区: h4's finding 3, session 25, 8cd94df left
#: the name whole there), while a caller named 张江 or 江宁 does not mask 张江站 or 江宁道
#: (review, session 25, L12). So too a school, the underground, a hospital, a shop, a hotel, an
#: airport (学校, 中学, 大学, 地铁, 社区, 医院, 超市, 市场, 酒店, 机场 …), which a terse note puts
#: after a person as often (王小明大学毕业, 王小明地铁上, 王小明医院检查后回电): 张江医院门口 is
#: the place, 张江医院检查后 the caller.
_NOT_A_PLACE_WORDS = (
    r"路(?!过(?!街天桥|街通道|街楼)|遇)|街(?![头坊])|[巷弄区县镇乡村桥苑坊湾港]"
    r"|大道|大街|花园|公园|家园|新村|小区|广场|车站|地铁站|高铁站|火车站|汽车站|公交站"
    r"|大厦|大楼|隧道|大桥|体育馆|图书馆|博物馆"
)
_PLACE_ENDS_WORDS = (
    r"[站道里园]|学校|[中小大]学|幼儿园|地铁|社区|医院|商场|市场|菜场|超市|酒店|宾馆|公寓"
    r"|码头|机场"
)
#: What follows a station, a road (道), a lane (里) or a park (园) by its name: the text's end, a
#: space, a number (江宁道100号), punctuation that closes a phrase (not a colon or a quote, which
#: follow 道 "said"), or a word saying where about it is (附近, 口, 旁边, 对面, 东侧, 出口, and
#: 与 or 交 of a crossing).
_PLACE_ENDS = (
    r"(?:$|[\s\d０-９,，。.;；、!！?？)）\]】」』(（]|号|口|与|交|附近|旁|边|对面|一带|周边|地铁"
    r"|公交|出口|入口|路口|门口|[东西南北](?:侧|口|门|边|面))"
)
#: A station named by its area and a word or two more (张江高科站, 张江高科地铁站): one or two
#: ideographs between the name and 站, none of them a word a person's sentence puts there (到站,
#: 进站, 在车站, 已到站, 刚下站 …), and the station's name ending there.
_STATION_AFTER = (
    r"(?:(?![到进出在回去来往向从于已刚正没不也还就才又都再和跟与同说讲叫是为被把让给家里外上下"
    r"前后门住走坐打看要想会能对的地得了着过车等岗])[\u4e00-\u9fff]){1,2}(?:地铁)?站(?="
    + _PLACE_ENDS
    + r")"
)
_NOT_A_PLACE = (
    r"(?![\s·]*(?:"
    + _NOT_A_PLACE_WORDS
    + r"|(?:"
    + _PLACE_ENDS_WORDS
    + r")(?="
    + _PLACE_ENDS
    + r")|"
    + _STATION_AFTER
    + r"))"
)


def _name_masked(match: re.Match[str]) -> str:
    found = match.group()
    return found[0] + "".join(ch if re.fullmatch(_NAME_GAP, ch) else "*" for ch in found[1:])


#: A flat's number in an address: 201室, 201 室, 201房, 201房间, 201号房, 1201户, 201-1室, 二零一室
#: (numerals read as digits: :func:`_flat_numerals_read`), 201A室. Three digits at least: "2室1厅"
#: is how many rooms a flat has, not which.
_FLAT = re.compile(
    r"(?<![\d*零〇一二三四五六七八九十百])(\d{3,5})"
    r"(?=(?:[A-Ha-h](?![A-Za-z]))?\s*(?:号\s*)?(?:[-－]\s*\d{1,2}\s*)?(?:室|房间|房(?![屋产])|户))"
)
#: And without 室, 房 or 户, as addresses are often written (h4's finding 4, session 25:
#: "共和新路100弄3号201" was published whole): three to five digits after a building, a
#: 单元 or a floor (3号201, 3号楼201号, 2单元201, 12楼1201) or a building's number and a hyphen
#: (100弄3-201), ending the address or followed by a space or a comma. A house number after its
#: road (江宁路500号) is no flat; nor 500米 or a range 500号-502号. Also after a comma (3号，201),
#: a building written 3# (3#201, 3#-201, 3号#201; a phone's extension, 6234-5931#266, is no
#: building), and with a letter (201A): brief h2, session 27. Followed by more words too
#: (100弄#201也是, 3号201漏水, 12楼1201也漏水: h6's leftover of session 28), unless they make the
#: number an amount, a measure, a count, a year or a time (3号楼200米, 5楼300多人, 3号楼2019年建成,
#: 大楼1000平方); and a day of the month is no building (3月5号1430来电).
_FLAT_BARE = re.compile(
    r"(?:(?<!月\d)(?<!月\d\d)号楼?|幢|栋|座|单元|楼|层|弄\s*[#＃]"
    r"|(?<![\d*\-－])\d{1,3}\s*[#＃]\s*(?:[-－‐‑‒–—−]\s*)?"
    r"|(?:弄|号楼?|幢|栋|座|单元)\s*\d{1,4}\s*[#＃]?\s*[-－‐‑‒–—−])\s*(?:[，,、]\s*)?(?:[#＃]\s*)?"
    r"(\d{3,5})(?!\d)(?=(?:[A-Ha-h](?![A-Za-z]))?\s*(?:室|号|房|户)?(?:$|[\s,，;；、。（(和及与]"
    r"|(?!号楼|单元|小时|左右|公[里斤分顷]|平[米方]|楼(?![上下])|[年月日号米元块万千百亿吨人次个件台辆岁"
    r"路弄栋幢座层多余度分秒天周届克升亩斤倍份张条只名位期套间所班趟线])[\u3400-\u9fff]))"
)
#: A flat named by where the caller lives, with no building before it (我家201、202都漏水,
#: 楼上301住户, 家住1201): three to five digits right after 我家, 家住, 住在, 我住 (session 30),
#: 楼上, 楼下, 隔壁 or 对门 are the flat's, unless a measure, a year, an amount or a time follows
#: them (我家2019年, 我家100平米, 楼上300多斤, 楼下500米, 住在500号楼). Session 28 (h2's leftover
#: of session 27).
_FLAT_AT_HOME = re.compile(
    r"(?:我家|家住|住在|我住|楼上|楼下|隔壁|对门)\s*(?:是\s*)?(\d{3,5})(?!\d)"
    r"(?!(?:[A-Ha-h](?![A-Za-z]))?\s*(?:[年月日号米元块万千百平吨人次个件台辆岁路弄栋幢座层楼多余"
    r"度分秒天周届公斤克升%％.．:：]|号楼|单元|小时|[A-Za-z]))"
)
#: The flats of a list (3号201、202, 201、202室, 1201和1202室): a number of as many digits as the
#: flat next to it, joined to it by 、, a comma, a slash, 和, 及 or 与, is a flat too; not an
#: amount, a measure or a date (201室，300米外), a house number after its road (江宁路500号，201室)
#: nor a building (201室、502号楼).
_FLAT_SEP = r"\s*[、，,/／及和与]\s*"
_FLAT_NEXT = re.compile(
    r"(?:[A-Ha-h](?![A-Za-z]))?\s*(?:室|号|房间|房|户)?"
    + _FLAT_SEP
    + r"(\d{3,5})(?!\d)(?!(?:[A-Ha-h](?![A-Za-z]))?\s*"
    r"(?:[年月日米元块万千平吨人次个件台辆岁路弄栋幢座层楼]|号楼|单元|[.．]\d))"
)
_FLAT_BEFORE = re.compile(
    r"(?<![\d*路街道巷弄里])(\d{3,5})(?:[A-Ha-h](?![A-Za-z]))?\s*(?:室|房间|房|户)?"
    + _FLAT_SEP
    + r"$"
)


#: Numerals read out digit by digit, as a flat's number is said on the phone and an operator
#: types it (我家二〇一 or 二○一, 二零一室, 三号楼一二〇一, 幺洞幺 for 101): three to five side by
#: side, as a flat's digits are. Not beside a positional numeral (十, 百, 千, 万, 亿): those write
#: an amount, a count or a time (二十分钟, 三百户, 一千二百元, 十二楼, 三四五百人), not a door.
#: 两 and 拐 (2 and 7 as a phone number is read out) are left out: "三三两两", "七拐八拐" are
#: words.
_FLAT_NUMERAL_RUN = re.compile(
    r"(?<![〇○零幺洞一二三四五六七八九十百千万亿])[〇○零幺洞一二三四五六七八九]{3,5}"
    r"(?![〇○零幺洞一二三四五六七八九十百千万亿])"
)


def _flat_numerals_read(address: str) -> str:
    """``address`` with each run of digit-by-digit numerals (:data:`_FLAT_NUMERAL_RUN`) read as
    ASCII digits, one character for one: the flat rules then judge 我家二〇一 as 我家201, by the
    words round it (brief h7, session 30: 我家二〇一 and 三〇二号 were published whole). A year in
    numerals stays a year (我家二〇一九年装修, 3号楼二〇一九年建成: 年 follows it)."""
    return _FLAT_NUMERAL_RUN.sub(lambda m: m.group().translate(_CHINESE_DIGITS), address)


#: 户 after a number is a household's door (3号楼1201户) or a count of households (3号楼120户居民,
#: 共120户): a count when the households are named after it (居民, 人家, 家庭, 村民, 群众, 商户 …)
#: or an estimate follows (左右, 以上, 之多 …), or when a word that counts stands before the
#: number (共, 约, 有, 近, 涉及, 超过 …). Brief h7, session 30: "3号楼120户居民" was published as
#: "3号楼***户居民". A number before 户 with neither (1201户, 1201户业主反映) is still a door.
_HOUSEHOLDS_NAMED = re.compile(
    r"\s*户\s*(?:居民|人家|家庭|村民|群众|居户|住户|商户|商家|左右|以上|以下|上下|之多|不等)"
)
_HOUSEHOLDS = re.compile(r"\s*户")
_HOUSEHOLDS_BEFORE = re.compile(
    r"(?:共|约|有|近|计|涉及|超过|大约|将近|总共|合计|全楼|全幢|全栋|整栋|整幢|影响)\s*$"
)


#: An amount in thousands whose first group has one or two digits (3,408户, 2,138户居民, 1,200元):
#: the groups after its commas are no flats (real FAQ text of the shared data, session 30:
#: "總户數為3,408户" was published as "3,***户"). A first group of three digits may be a list
#: of flats (201,202室) and is left to the flat rules.
_FLAT_AMOUNT = re.compile(r"(?<![\d,.])\d{1,2}(?:,\d{3})+(?![\d,])")


def _households_counted(text: str, start: int, end: int) -> bool:
    """Whether the number at ``text[start:end]`` counts households (:data:`_HOUSEHOLDS_NAMED`)."""
    if not _HOUSEHOLDS.match(text, end):
        return False
    return bool(
        _HOUSEHOLDS_NAMED.match(text, end)
        or _HOUSEHOLDS_BEFORE.search(text, max(0, start - 6), start)
    )


def mask_flat(address: str) -> str:
    """An address with the number of its flat masked (共和新路100弄3号楼201室 →
    共和新路100弄3号楼***室, 共和新路100弄3号201 → 共和新路100弄3号***), and of every flat of a
    list (3号201、202 → 3号***、***): the road, the lane and the building say where a problem is;
    the flat says whose door it is (h4's finding C, session 24). An anonymous report publishes no
    more than its street. A flat in numerals read digit by digit (我家二〇一) is masked as the
    same flat in digits; a count of households (3号楼120户居民) or an amount in thousands
    (3,408户) is no flat."""
    if not address:
        return address
    text = _flat_numerals_read(address)
    flats = [m.span(1) for m in _FLAT.finditer(text)]
    flats += [m.span(1) for m in _FLAT_BARE.finditer(text)]
    flats += [m.span(1) for m in _FLAT_AT_HOME.finditer(text)]
    amounts = [m.span() for m in _FLAT_AMOUNT.finditer(text)]
    # Most texts hold none: the running count costs a pass over the text.
    in_amount = _covered(text, amounts) if amounts else lambda start, end: False
    hidden: set[int] = set()
    while flats:
        start, end = flats.pop()
        if start in hidden or in_amount(start, end) or _households_counted(text, start, end):
            continue
        hidden.update(range(start, end))
        after = _FLAT_NEXT.match(text, end)
        if after and len(after.group(1)) == end - start:
            flats.append(after.span(1))
        before = _FLAT_BEFORE.search(text, max(0, start - 16), start)
        if before and len(before.group(1)) == end - start:
            flats.append(before.span(1))
    if not hidden:
        return address
    return "".join("*" if at in hidden else ch for at, ch in enumerate(address))


def public_text(text: str, citizen_name: str) -> str:
    """A named order's text as a page anyone may open publishes it (Open311, the rating page's
    reply): the caller's own name (:func:`mask_name`), numbers (:func:`mask_personal`) and the
    flat (:func:`mask_flat`) masked; the rest as written."""
    return mask_flat(mask_personal(mask_name(text, citizen_name)))


class MaskPhonesFilter(logging.Filter):
    """Masks phone numbers in every record passing the handler it is attached to (see LOGGING):
    order titles in notification logs, numbers in URLs, anything an exception message quotes;
    and the secrets of private links (:func:`mask_secrets`) in the URLs Django's request log
    names."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is logging's problem, not ours
            return True
        masked = mask_secrets(mask_text(message))
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            # A traceback can quote a value too: format it now (the formatter reuses exc_text).
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_secrets(mask_text(record.exc_text))
        return True
