"""The one write path of 帮办 and 代办: start one, then move it a step at a time.

Every step checks :mod:`hotline.assistance.rules`, moves the record with a conditional UPDATE
on its version and appends an :class:`~hotline.assistance.models.AssistanceEvent` in one
transaction.
"""

from hotline.assistance.actions.records import (
    accept,
    complete,
    end_help,
    start_help,
    start_proxy,
    submit,
    withdraw,
)

__all__ = ["accept", "complete", "end_help", "start_help", "start_proxy", "submit", "withdraw"]
