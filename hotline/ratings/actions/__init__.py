"""The one write path of 好差评: a function per rating step.

Every step checks :mod:`hotline.ratings.rules`, moves the rating with a conditional UPDATE on
its version and appends a :class:`~hotline.ratings.models.RatingEvent` in one transaction. The
pad, the QR and SMS pages, the hall manager's and the centre's pages all call these.
"""

from hotline.ratings.actions.appeals import appeal, approve_appeal, reject_appeal
from hotline.ratings.actions.pads import enrol_pad, revoke_pad
from hotline.ratings.actions.rating import follow_up, rate
from hotline.ratings.actions.rectify import open_rectification, rectification_category
from hotline.ratings.actions.referral import refer
from hotline.ratings.actions.sms import send_link
from hotline.ratings.rules import (
    Conflict,
    HallError,
    InvalidInput,
    InvalidTransition,
    NotAllowed,
)

__all__ = [
    "Conflict",
    "HallError",
    "InvalidInput",
    "InvalidTransition",
    "NotAllowed",
    "appeal",
    "approve_appeal",
    "enrol_pad",
    "follow_up",
    "open_rectification",
    "rate",
    "rectification_category",
    "refer",
    "reject_appeal",
    "revoke_pad",
    "send_link",
]
