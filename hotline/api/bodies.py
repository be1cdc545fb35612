"""What the API accepts: registration, list filters, and one body per order action.

Units are named by code, the parent order by number. Unknown fields are refused, so a typo such
as ``"verison"`` cannot silently drop the concurrency check. ``version`` is the order version the
client last saw: when the order has moved on since, the action is refused with ``conflict``.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from ninja import Schema
from pydantic import (
    AwareDatetime,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    StrictBool,
    StrictInt,
    field_validator,
)

from hotline.assessment import periods
from hotline.orders.models import (
    DESCRIPTION_MAX_LENGTH,
    REASON_MAX_LENGTH,
    REPLY_MAX_LENGTH,
    CallbackOutcome,
    Channel,
    ContactWay,
    Kind,
    ReplyResult,
    Satisfaction,
    State,
)
from hotline.security.control_chars import has_controls
from hotline.sla.models import Urgency

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")

#: Bounds that keep absurd numbers away from the database and the calendar.
MAX_OFFSET = 1_000_000_000
MAX_WORKING_DAYS = 365

VERSION = Field(
    default=None,
    ge=0,
    description="The order version you acted on; a newer version on the server is a conflict.",
)


class Body(Schema):
    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _no_controls(cls, value: object) -> object:
        # The pages' and Open311's form bodies lose control characters at the middleware
        # (hotline.security.control_chars); a program sending JSON is told which field.
        texts = value if isinstance(value, list) else [value]
        if any(isinstance(t, str) and has_controls(t) for t in texts):
            raise ValueError("holds a control character (only tab, newline and CR are allowed)")
        return value


# JSON bodies take JSON's own types: lax parsing would read false as 0.0 or "3" as 3 (query
# parameters, which arrive as text, keep the ordinary parsing).
Number = Annotated[float, Strict()]


class RegisterIn(Body):
    # The schema says what the register action refuses: blank text, a malformed phone number,
    # coordinates off the globe.
    title: str = Field(min_length=1, max_length=200, pattern=r"\S")
    description: Annotated[
        str,
        Field(min_length=1, max_length=DESCRIPTION_MAX_LENGTH, pattern=r"\S"),
        BeforeValidator(_as_the_actions_count),
    ]
    channel: Channel = Channel.API
    citizen_name: str = Field(default="", max_length=50)
    citizen_phone: str = Field(
        default="", max_length=30, pattern=r"^\s*(\+?[0-9][0-9\- ]{4,19})?\s*$"
    )
    citizen_email: str = Field(default="", max_length=254)
    anonymous: StrictBool = False
    address: str = Field(default="", max_length=200)
    street: str | None = Field(default=None, description="Unit code of the street or town.")
    community: str | None = Field(
        default=None, description="Unit code of the neighbourhood committee."
    )
    latitude: Number | None = Field(default=None, ge=-90, le=90)
    longitude: Number | None = Field(default=None, ge=-180, le=180)
    category: str | None = Field(default=None, description="Category code.")
    urgency: Urgency = Urgency.NORMAL
    kind: Kind = Kind.HELP

    @field_validator("citizen_email")
    @classmethod
    def _email(cls, value: str) -> str:
        value = value.strip()
        if value:
            try:
                validate_email(value)
            except DjangoValidationError:
                raise ValueError("not a valid e-mail address") from None
        return value


class OrderFilters(Schema):
    state: list[State] = Field(default_factory=list, description="Repeat for several states.")
    lead_unit: str | None = Field(default=None, description="Unit code.")
    category: str | None = Field(
        default=None, description="Category code; includes its subcategories."
    )
    urgency: Urgency | None = None
    kind: Kind | None = None
    overdue: bool | None = None
    q: str | None = Field(
        default=None,
        max_length=200,
        description="Text in the number, title, description or address.",
    )
    registered_from: dt.date | None = Field(default=None, description="First local day, inclusive.")
    registered_to: dt.date | None = Field(default=None, description="Last local day, inclusive.")

    @field_validator("registered_from", "registered_to", mode="before")
    @classmethod
    def _iso_day(cls, value: object) -> object:
        # Pydantic would read "0" or "1700000000" as a Unix time: only YYYY-MM-DD is a day here.
        if isinstance(value, str) and not _ISO_DAY.match(value):
            raise ValueError("give the day as YYYY-MM-DD")
        return value

    @field_validator("registered_from", "registered_to")
    @classmethod
    def _sane_day(cls, value: dt.date | None) -> dt.date | None:
        # Year 1 or 9999 would overflow the time-zone arithmetic: one range for every date input.
        if value is not None and not periods.in_range(value):
            first, last = periods.EARLIEST.isoformat(), periods.LATEST.isoformat()
            raise ValueError(f"give a day between {first} and {last}")
        return value

    phone: str | None = Field(
        default=None,
        max_length=30,
        description="Citizen phone (only for users who see full phones).",
    )
    limit: int = Field(default=50, ge=1, le=200)
    offset: int = Field(default=0, ge=0, le=MAX_OFFSET)


def _as_the_actions_count(value: object) -> object:
    """Line breaks as one character and no surrounding blanks, as the pages and the actions
    count a reason's length (padding refused here was accepted there)."""
    return value.replace("\r\n", "\n").strip() if isinstance(value, str) else value


#: A reason or note: at most REASON_MAX_LENGTH characters, as on the pages and in the actions.
Reason = Annotated[str, Field(max_length=REASON_MAX_LENGTH), BeforeValidator(_as_the_actions_count)]
#: An answer or reply to the citizen: at most REPLY_MAX_LENGTH characters.
Reply = Annotated[str, Field(max_length=REPLY_MAX_LENGTH), BeforeValidator(_as_the_actions_count)]


class VersionIn(Body):
    version: StrictInt | None = VERSION


class NoteIn(VersionIn):
    note: Reason = ""


class ReasonIn(VersionIn):
    reason: Reason


class TextIn(VersionIn):
    text: Reply


class CommentIn(VersionIn):
    text: Reason


class DispatchIn(VersionIn):
    lead_unit: str = Field(description="Unit code of the lead unit (主办).")
    co_units: list[str] = Field(
        default_factory=list,
        description="Unit codes of co-units (协办): first-level units only (a street, a bureau); "
        "a sub-unit is refused.",
    )
    note: Reason = ""


class RedispatchIn(DispatchIn):
    reason: Reason


class AssignInsideIn(VersionIn):
    unit: str = Field(description="Unit code of a sub-unit of the lead unit (二级派单).")
    note: Reason = ""


class FirstContactIn(VersionIn):
    way: ContactWay
    note: Reason = ""
    contacted_at: AwareDatetime | None = Field(
        default=None, description="When the citizen was reached (with a UTC offset); default now."
    )


class ExtensionIn(ReasonIn):
    days: StrictInt = Field(description="Working days asked for.")


class ReplyIn(VersionIn):
    result: ReplyResult
    text: Reply


class CallbackIn(VersionIn):
    resolved: StrictBool
    satisfaction: Satisfaction
    note: Reason = ""


class CallbackAttemptIn(VersionIn):
    outcome: CallbackOutcome = Field(
        description="未接通 not_reached or 拒访 refused; a reached call is the callback action."
    )
    note: Reason = ""


class SuperviseIn(VersionIn):
    due: AwareDatetime | None = Field(default=None, description="The supervision deadline.")
    working_days: StrictInt | None = Field(
        default=None, ge=1, le=MAX_WORKING_DAYS, description="Or: working days from now."
    )
    note: Reason = ""


class MergeIn(VersionIn):
    parent: str = Field(description="Number of the order this one duplicates.")
    reason: Reason = ""


class AppealKpi(StrEnum):
    """The KPIs an appeal may be about (hotline.assessment.kpis.APPEALABLE)."""

    SIGN_FOR = "sign_for"
    FIRST_CONTACT = "first_contact"
    ON_TIME_REPLY = "on_time_reply"
    RESOLUTION = "resolution"
    SATISFACTION = "satisfaction"
    REOPEN = "reopen"
    RETURN = "return"
    OVERDUE = "overdue"


class AppealIn(ReasonIn):
    kpi: AppealKpi = Field(description="The indicator the order should not count in.")
