"""The reasons the dispatch app writes itself, kept as codes and shown in the reader's language.

An administrator's reason for an activation or a rollback is their own text, kept as written. The
reasons the system gives (a model trained and activated at once, the retraining guard's verdict,
an activation in the admin without a reason) are stored as a :class:`ChangeReason` code on the
:class:`~hotline.dispatch.models.ModelChange`; the guard's figures are the candidate's own
``comparison``, so the sentence is built when it is read, in the language of the page or the
command. Rows written before the codes (and :attr:`RetrainRun.outcome`, which copies the verdict
as text) hold the sentence in the language of the process that wrote it: :func:`shown_text`
recognises those sentences in either language and shows them in the reader's.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from django.db import models
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy, gettext_noop


class ChangeReason(models.TextChoices):
    """Why the system activated a model, or kept a candidate out (the guard's verdicts)."""

    TRAINED = "trained", gettext_lazy("trained and activated at once")
    ADMIN = "admin", gettext_lazy("Activated in the admin.")
    NO_ACTIVE_MODEL = (
        "no_active_model",
        gettext_lazy("No usable active model: the new one is used."),
    )
    NO_ORDERS = "no_orders", gettext_lazy("No dispatched orders in the month held out")
    NOT_WORSE = "not_worse", gettext_lazy("Not worse on the month held out")
    WORSE = "worse", gettext_lazy("Worse on the month held out")


#: The full sentence of each code, its figures (``%(month)s`` …) from the candidate's comparison.
SENTENCES: dict[str, str] = {
    ChangeReason.TRAINED: gettext_noop("trained and activated at once"),
    ChangeReason.ADMIN: gettext_noop("Activated in the admin."),
    ChangeReason.NO_ACTIVE_MODEL: gettext_noop("No usable active model: the new one is used."),
    ChangeReason.NO_ORDERS: gettext_noop(
        "No dispatched orders in %(month)s to compare on: the active model is kept."
    ),
    ChangeReason.NOT_WORSE: gettext_noop(
        "Not worse on %(month)s (%(orders)s orders): %(new)s against %(old)s."
    ),
    ChangeReason.WORSE: gettext_noop(
        "Worse on %(month)s (%(orders)s orders): %(new)s against %(old)s; the active model is kept."
    ),
}

#: Other sentences the app stored as text: the scheduled run's failure (RetrainRun.outcome).
FAILED = gettext_noop("Failed: %(error)s")

_FIELD = re.compile(r"%\((\w+)\)s")


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def figures(comparison: dict[str, Any] | None) -> dict[str, Any]:
    """The guard's figures for a sentence, from a candidate's stored comparison."""
    c = comparison or {}
    return {
        "month": c.get("month", "—"),
        "orders": c.get("orders", 0),
        "new": _percent(c.get("candidate_accuracy")),
        "old": _percent(c.get("active_accuracy")),
    }


def sentence(code: str, comparison: dict[str, Any] | None = None) -> str:
    """The code's sentence in the active language, with the candidate's figures."""
    return gettext(SENTENCES[code]) % figures(comparison)


@cache
def _patterns(language: str) -> list[tuple[re.Pattern[str], str]]:
    """Each known sentence as written in ``language``, its figures as named groups."""
    found = []
    with translation.override(language):
        for msgid in [*SENTENCES.values(), FAILED]:
            written = gettext(msgid)
            parts = _FIELD.split(written)  # text, name, text, name, …, text
            pattern = "".join(
                re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)"
                for i, part in enumerate(parts)
            )
            found.append((re.compile(f"^{pattern}$", re.DOTALL), msgid))
    return found


def shown_text(text: str) -> str:
    """A stored reason in the active language: a sentence the app wrote (in English or zh-Hans)
    is shown translated, anything else (an administrator's words) as it is."""
    for language in ("en", "zh-hans"):
        for pattern, msgid in _patterns(language):
            if match := pattern.match(text):
                return gettext(msgid) % match.groupdict()
    return text


def shown(code: str, text: str, comparison: dict[str, Any] | None = None) -> str:
    """A model change's reason as a person reads it: the code's sentence when it has one, else its
    text (an old row's sentence translated, see :func:`shown_text`)."""
    if code in SENTENCES:
        return sentence(code, comparison)
    return shown_text(text)
