"""What a multipart body may put on disk, decided before a byte of it is read.

Django parses a multipart body wherever ``request.POST`` is first read — the CSRF middleware
does, before any view checks who is posting — and writes each file above
``FILE_UPLOAD_MAX_MEMORY_SIZE`` to a temporary file. Outside nginx (``client_max_body_size``)
a stranger could so fill the disk. :class:`GuardedUploadHandler`, first in
``FILE_UPLOAD_HANDLERS``:

- refuses a body above ``MAX_REQUEST_BODY_MB`` outright (a 413, nothing read);
- skips every file of a request that may not upload there (the fields are still read, so the
  CSRF check and the view answer as before: a login page, a 403, a clear refusal), so nothing
  of it reaches the disk.

Who may upload where: a view marked with :func:`uploads` says (``check(request, **kwargs)``,
the URL's arguments); any other URL takes files from a logged-in user only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest
from django.urls import Resolver404, resolve

MB = 1024 * 1024

View = TypeVar("View", bound=Callable[..., Any])
Check = Callable[..., bool]


def uploads(check: Check) -> Callable[[View], View]:
    """Marks a view that takes files: ``check(request, **url_kwargs)`` says, before the body is
    read, whether this request's files may be stored at all (the view still checks them)."""

    def mark(view: View) -> View:
        view.may_upload = check  # type: ignore[attr-defined]
        return view

    return mark


def anyone(request: HttpRequest, **kwargs: Any) -> bool:
    """A citizen's page: no login (the view limits and checks what comes)."""
    return True


def logged_in(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def may_upload(request: HttpRequest) -> bool:
    """Whether ``request`` may put files on disk at its URL (see the module's docstring)."""
    try:
        match = resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return False
    check: Check | None = getattr(match.func, "may_upload", None)
    if check is None:
        return logged_in(request)
    return bool(check(request, *match.args, **match.kwargs))


def max_body_bytes() -> int:
    return int(settings.MAX_REQUEST_BODY_MB) * MB


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
        if content_length > max_body_bytes():
            raise RequestDataTooBig(
                f"Request body of {content_length} bytes exceeds MAX_REQUEST_BODY_MB."
            )
        self.allowed = self.request is not None and may_upload(self.request)

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        if not self.allowed:
            # Raised before the later handlers open a file: the part is read and dropped.
            raise SkipFile

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None
