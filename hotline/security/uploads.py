"""What a multipart body may put on disk, decided before a byte of it is read.

Django parses a multipart body wherever ``request.POST`` is first read — the CSRF middleware
does, before any view checks who is posting — and writes each file above
``FILE_UPLOAD_MAX_MEMORY_SIZE`` to a temporary file. Outside nginx (``client_max_body_size``)
a stranger could so fill the disk. :class:`GuardedUploadHandler`, first in
``FILE_UPLOAD_HANDLERS``:

- refuses a body above ``MAX_REQUEST_BODY_MB`` outright (a 413, nothing read), unless the view
  names its own limit (``uploads(check, max_bytes=...)``: a citizen's form whose files may add up
  to more). A body above a view's own limit, by up to ``MAX_REQUEST_BODY_MB``, is not refused
  here: its files are skipped (nothing reaches the disk), its fields read, and the request
  flagged (:func:`too_large`), so the view answers with its form, what was typed, and why the
  files were not kept (a body larger still is a 413);
- skips every file of a request that may not upload there (the fields are still read, so the
  CSRF check and the view answer as before: a login page, a 403, a clear refusal), so nothing
  of it reaches the disk.

Who may upload where: a view marked with :func:`uploads` says (``check(request, **kwargs)``,
the URL's arguments); any other URL takes files from a logged-in user only. How large a body may
be: ``max_bytes(request, **kwargs)`` where the view names it (``None``: the global limit), else
``MAX_REQUEST_BODY_MB``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest
from django.urls import Resolver404, ResolverMatch, resolve

MB = 1024 * 1024

View = TypeVar("View", bound=Callable[..., Any])
Check = Callable[..., bool]
Limit = Callable[..., int | None]

#: The request attribute set when a body was above its view's own limit (its files skipped).
TOO_LARGE = "upload_too_large"


class BodyTooLarge(RequestDataTooBig):
    """A body above the limit of its URL (``MAX_REQUEST_BODY_MB``, plus the view's own where it
    names one), refused before it is read: the limit goes with it, so the 413 names the limit
    that refused it, not Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (the fields' limit)."""

    def __init__(self, message: str, limit_bytes: int) -> None:
        super().__init__(message)
        self.limit_bytes = limit_bytes


def uploads(check: Check, *, max_bytes: Limit | None = None) -> Callable[[View], View]:
    """Marks a view that takes files: ``check(request, **url_kwargs)`` says, before the body is
    read, whether this request's files may be stored at all (the view still checks them);
    ``max_bytes(request, **url_kwargs)``, where given, is the view's own body limit (``None``:
    the global one), and a larger body reaches the view with no file and :func:`too_large`."""

    def mark(view: View) -> View:
        view.may_upload = check  # type: ignore[attr-defined]
        view.upload_max_bytes = max_bytes  # type: ignore[attr-defined]
        return view

    return mark


def anyone(request: HttpRequest, **kwargs: Any) -> bool:
    """A citizen's page: no login (the view limits and checks what comes)."""
    return True


def logged_in(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def too_large(request: HttpRequest) -> bool:
    """Whether the request's body was above its view's own limit (none of its files kept)."""
    return bool(getattr(request, TOO_LARGE, False))


def _match(request: HttpRequest) -> ResolverMatch | None:
    try:
        return resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return None


def may_upload(request: HttpRequest, match: ResolverMatch | None = None) -> bool:
    """Whether ``request`` may put files on disk at its URL (see the module's docstring)."""
    match = match or _match(request)
    if match is None:
        return False
    check: Check | None = getattr(match.func, "may_upload", None)
    if check is None:
        return logged_in(request)
    return bool(check(request, *match.args, **match.kwargs))


def max_body_bytes() -> int:
    return int(settings.MAX_REQUEST_BODY_MB) * MB


def view_max_bytes(request: HttpRequest, match: ResolverMatch | None) -> int | None:
    """The body limit the view at the request's URL names, if it names one."""
    limit: Limit | None = getattr(match.func, "upload_max_bytes", None) if match else None
    if limit is None or match is None:
        return None
    found = limit(request, *match.args, **match.kwargs)
    return None if found is None else int(found)


class GuardedUploadHandler(FileUploadHandler):
    """The first upload handler: the body's size and who may upload, before anything is read;
    the handlers after it store what it lets through."""

    allowed = True

    def handle_raw_input(
        self,
        input_data: Any,
        META: dict[str, Any],
        content_length: int,
        boundary: str,
        encoding: str | None = None,
    ) -> None:
        request = self.request
        match = _match(request) if request is not None else None
        own = view_max_bytes(request, match) if request is not None else None
        # Above a view's own limit the body is still read (its files dropped, for the fields),
        # so by MAX_REQUEST_BODY_MB at most: beyond that it is a script, not a citizen.
        ceiling = max_body_bytes() + (own or 0)
        if content_length > ceiling:
            raise BodyTooLarge(
                f"Request body of {content_length} bytes exceeds MAX_REQUEST_BODY_MB.", ceiling
            )
        self.allowed = request is not None and match is not None and may_upload(request, match)
        if own is not None and content_length > own:
            # The view answers (its form, what was typed, why); no file of it is kept.
            setattr(request, TOO_LARGE, True)
            self.allowed = False

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        if not self.allowed:
            # Raised before the later handlers open a file: the part is read and dropped.
            raise SkipFile

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None
