"""The one write path of pre-reviews: a function per step.

Each checks :mod:`hotline.prereview.rules`, moves the pre-review with a conditional UPDATE
(version and state, row count checked) and appends a
:class:`~hotline.prereview.models.PreReviewEvent` in one transaction; messages to the citizen go
out through the notify adapters after commit. The portal, the review pages, the cases' opening
action, the 12345 intake (pre-review links) and the demo all call these.
"""

from hotline.prereview.actions.decisions import ask_more, pass_review, reject
from hotline.prereview.actions.filing import filed_with, halls_for, resubmit, submit, withdraw
from hotline.prereview.actions.finding import text_link
from hotline.prereview.actions.inviting import (
    find_invitation,
    invitable,
    invitation_link,
    invitations_for_phone,
    invite,
)
from hotline.prereview.actions.linking import find_for, link_appointment, link_case, look_up
from hotline.prereview.rules import (
    Conflict,
    InvalidInput,
    InvalidTransition,
    NotAllowed,
    PreReviewError,
)

__all__ = [
    "Conflict",
    "InvalidInput",
    "InvalidTransition",
    "NotAllowed",
    "PreReviewError",
    "ask_more",
    "filed_with",
    "find_for",
    "find_invitation",
    "halls_for",
    "invitable",
    "invitation_link",
    "invitations_for_phone",
    "invite",
    "link_appointment",
    "link_case",
    "look_up",
    "pass_review",
    "reject",
    "resubmit",
    "submit",
    "text_link",
    "withdraw",
]
