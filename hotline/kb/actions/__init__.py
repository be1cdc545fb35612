"""The one write path for the knowledge base: a function per action.

Every function authorises (role, remit, state — :mod:`hotline.kb.rules`), validates its input,
then in one transaction moves the article with a conditional update on its ``version`` and appends
an :class:`~hotline.kb.models.ArticleEvent`. Pages, the API, the import and the worker all call
these functions.
"""

from hotline.kb.actions._core import touch_index
from hotline.kb.actions.editing import (
    CONTENT_FIELDS,
    Content,
    attach,
    create,
    detach,
    edit,
    snapshot,
)
from hotline.kb.actions.review import publish, restore, retire, send_back, submit
from hotline.kb.actions.synonyms import (
    create_group,
    create_groups,
    edit_group,
    load_default_list,
    remove_group,
)
from hotline.kb.actions.use import record_use, urge_overdue_reviews
from hotline.kb.rules import Conflict, InvalidInput, InvalidTransition, NotAllowed, NotFound

__all__ = [
    "CONTENT_FIELDS",
    "Conflict",
    "Content",
    "InvalidInput",
    "InvalidTransition",
    "NotAllowed",
    "NotFound",
    "attach",
    "create",
    "create_group",
    "create_groups",
    "detach",
    "edit",
    "edit_group",
    "load_default_list",
    "publish",
    "record_use",
    "remove_group",
    "restore",
    "retire",
    "send_back",
    "snapshot",
    "submit",
    "touch_index",
    "urge_overdue_reviews",
]
