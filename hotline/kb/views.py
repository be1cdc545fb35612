"""Staff pages of the knowledge base: search, article, edit, review queue, revision diff.

Thin views: authorise (:mod:`hotline.kb.rules`), validate the form, call the action, render.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hotline import clock
from hotline.kb import actions, upkeep
from hotline.kb.assist import CLICK_ONCE_PER, article_use_count
from hotline.kb.content import diff_lines, plain_text
from hotline.kb.forms import ArticleForm, parse_id
from hotline.kb.models import (
    Article,
    ArticleAction,
    ArticleAttachment,
    ArticleEvent,
    ArticleState,
    ArticleUse,
    Revision,
    UpkeepState,
    UpkeepTask,
    UseKind,
)
from hotline.kb.rules import (
    ActionError,
    allowed_actions,
    drafts_seen,
    in_remit,
    is_staff_reader,
    sees_drafts,
    visible_articles,
)
from hotline.kb.search import index
from hotline.orders.actions.intake import upload_name
from hotline.orders.rules import unit_scope
from hotline.org.models import Category, Role, Unit, User, subtree_ids
from hotline.security.uploads import logged_in, uploads
from hotline.web import once

#: Actions taken with a button on the article page (edit and attach have their own forms).
BUTTON_ACTIONS = (
    ArticleAction.SUBMIT,
    ArticleAction.PUBLISH,
    ArticleAction.SEND_BACK,
    ArticleAction.RETIRE,
    ArticleAction.RESTORE,
)
NEEDS_REASON = {ArticleAction.SEND_BACK, ArticleAction.RETIRE}


def _staff(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if not is_staff_reader(user):
        raise PermissionDenied(_("The knowledge base is for hotline and unit staff."))
    return user


@login_required
def article_list(request: HttpRequest) -> HttpResponse:
    """Search published articles; below, what the user keeps: drafts, reviews due, tasks."""
    user = _staff(request)
    query = request.GET.get("q", "").strip()[:200]
    category_id, unit_id = parse_id(request.GET.get("category")), parse_id(request.GET.get("unit"))
    public_only = request.GET.get("public") == "1"
    results = (
        index.search(
            query, public_only=public_only, category_id=category_id, unit_id=unit_id, limit=20
        )
        if query
        else []
    )
    context: dict[str, Any] = {
        "query": query,
        "results": results,
        "category_id": category_id,
        "unit_id": unit_id,
        "public_only": public_only,
        "categories": Category.objects.filter(level__lte=2, active=True).order_by("code"),
        "units": Unit.objects.handling().order_by("sort_order", "name"),
        "can_edit_synonyms": user.has_role(Role.KNOWLEDGE_REVIEWER),
        # An upkeep task's "Find one to update": the results and the article carry it on to the
        # edit page, so the change saved there completes the task.
        "task": _task(user, request.GET.get("task")),
    }
    if user.has_role(Role.UNIT_HANDLER) or user.has_role(Role.KNOWLEDGE_REVIEWER):
        scope = None if user.has_role(Role.KNOWLEDGE_REVIEWER) else unit_scope(user)
        mine = visible_articles(user).exclude(state=ArticleState.PUBLISHED)
        if scope is not None:
            mine = mine.filter(unit__in=scope)
        context["working"] = mine.select_related("unit").order_by("-updated_at")[:50]
        context["overdue"] = upkeep.overdue_reviews(scope, clock.today())[:50]
        context["tasks"] = upkeep.open_tasks(user)[:50] if scope is not None else []
        context["can_create"] = True
    if not query and (category_id is not None or unit_id is not None or public_only):
        # Filters without words: list what they select, rather than the unfiltered "recently
        # published" that looked like the filtered answer.
        context["browsing"] = True
        context["browse"] = _browse(user, category_id, unit_id, public_only)[:BROWSE_LIMIT]
    elif not query and "working" not in context:
        context["recent"] = (
            visible_articles(user)
            .filter(state=ArticleState.PUBLISHED)
            .select_related("unit")
            .order_by("-updated_at")[:20]
        )
    return render(request, "kb/article_list.html", context)


BROWSE_LIMIT = 100


def _browse(
    user: User, category_id: int | None, unit_id: int | None, public_only: bool
) -> QuerySet[Article]:
    """Published articles in a category (and the categories below it) and a unit's subtree, by
    title: what the search's filters select when no words are given."""
    articles = (
        visible_articles(user).filter(published__isnull=False).exclude(state=ArticleState.RETIRED)
    )
    if public_only:
        articles = articles.filter(published__public=True)
    if unit_id is not None:
        articles = articles.filter(published__unit_id__in=subtree_ids([unit_id]))
    if category_id is not None:  # categories have at most three levels
        below = Q(pk=category_id) | Q(parent_id=category_id) | Q(parent__parent_id=category_id)
        articles = articles.filter(
            published__categories__in=Category.objects.filter(below)
        ).distinct()
    return articles.select_related("published", "published__unit").order_by(
        "published__title", "pk"
    )


def _article(user: User, pk: int) -> Article:
    article = get_object_or_404(visible_articles(user).select_related("unit", "head"), pk=pk)
    return article


@login_required
def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _staff(request)
    article = _article(user, pk)
    drafts = sees_drafts(user, article)
    shown = article.head if drafts or not article.published_id else article.published
    number = parse_id(request.GET.get("revision"))
    if number and drafts:
        shown = get_object_or_404(article.revisions, number=number)
    query = request.GET.get("q", "").strip()
    if query and article.published_id and not _clicked_today(user, article):
        actions.record_use(article, user, UseKind.CLICK, query=query)
    revisions = list(article.revisions.select_related("author").order_by("-number"))
    # An earlier revision is for reading: the buttons act on the newest one, so a reviewer who
    # read revision 1 must not publish revision 3 from under it.
    earlier = drafts and shown is not None and shown.pk != article.head_id
    allowed = [] if earlier else allowed_actions(article, user)
    task = _task(user, request.GET.get("task")) if ArticleAction.EDIT in allowed else None
    return render(
        request,
        "kb/article_detail.html",
        {
            "article": article,
            "shown": shown,
            # Staff who do not see drafts read the published revision: to them it is published,
            # whatever change the unit has proposed meanwhile (before, an operator read "draft"
            # on the article they answer citizens with).
            "state": ArticleState(article.state if drafts else ArticleState.PUBLISHED),
            "categories": shown.categories.all() if shown else [],
            "revisions": revisions if drafts else [],
            "events": article.events.select_related("actor").order_by("-seq")[:30]
            if drafts
            else [],
            "buttons": [a for a in BUTTON_ACTIONS if a in allowed],
            "needs_reason": NEEDS_REASON,
            "can_edit": ArticleAction.EDIT in allowed,
            "can_attach": ArticleAction.ATTACH in allowed,
            "can_detach": ArticleAction.DETACH in allowed,
            # The files of the revision shown: a file added to a published article is seen
            # once its revision is published, as a text change is.
            "attachments": shown.attachments.order_by("uploaded_at", "pk") if shown else [],
            "pending_change": article.published_id and article.head_id != article.published_id,
            "earlier": earlier,
            "task": task,
            # Why the reviewer finds no Publish on a unit's draft (rules: own_only).
            "awaiting_unit": article.state == ArticleState.DRAFT
            and user.has_role(Role.KNOWLEDGE_REVIEWER)
            and ArticleAction.PUBLISH not in allowed
            and not earlier,
            "uses": _uses(article),
        },
    )


def _uses(article: Article) -> list[tuple[str, Any, int]]:
    """(kind, label, how often) for each kind of use, in the kinds' order."""
    counts = article_use_count(article)
    return [(kind, label, counts[kind]) for kind, label in UseKind.choices]


def _clicked_today(user: User, article: Article) -> bool:
    """Opened from a search: the ranking learns from it, once a day per person and article (as
    the portal counts a citizen's click once a day per address), so reloading does not push
    the article up."""
    since = clock.now() - CLICK_ONCE_PER.window
    return ArticleUse.objects.filter(
        article=article, user=user, kind=UseKind.CLICK, at__gt=since
    ).exists()


def _units_for(user: User) -> QuerySet[Unit]:
    if user.has_role(Role.KNOWLEDGE_REVIEWER):
        return Unit.objects.handling().order_by("sort_order", "name")
    return Unit.objects.filter(pk__in=unit_scope(user)).order_by("sort_order", "name")


def _task(user: User, raw: str | None) -> UpkeepTask | None:
    pk = parse_id(raw)
    if pk is None:
        return None
    task = UpkeepTask.objects.filter(pk=pk, state=UpkeepState.OPEN).select_related("order").first()
    if task is None or not in_remit(user, task.unit_id):
        return None
    return task


@login_required
def article_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """A new article, or a new revision of one (a proposed change when it is published)."""
    user = _staff(request)
    article = _article(user, pk) if pk is not None else None
    if article is None and not user.has_role(Role.UNIT_HANDLER, Role.KNOWLEDGE_REVIEWER):
        raise PermissionDenied(_("Your role may not do this."))
    if article is not None and ArticleAction.EDIT not in allowed_actions(article, user):
        raise PermissionDenied(_("Only the responsible unit may change this article."))
    task = _task(user, request.GET.get("task") or request.POST.get("task"))
    units = _units_for(user)
    if request.method == "POST":
        form = ArticleForm(request.POST, units=units)
        if form.is_valid():
            try:
                if article is None:
                    # Back and save again (or a double click) must not write a second article:
                    # the form's one-time token is claimed in the article's transaction.
                    with transaction.atomic():
                        if not once.claim(once.posted_token(request.POST)):
                            messages.info(
                                request, _("This form was already sent: nothing was added.")
                            )
                            return redirect("kb:article_list")
                        article = actions.create(
                            user, form.content(), reason=form.cleaned_data["reason"], task=task
                        )
                else:
                    actions.edit(
                        article,
                        user,
                        form.content(),
                        reason=form.cleaned_data["reason"],
                        task=task,
                        expected_version=parse_id(request.POST.get("version")),
                    )
            except ActionError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("Saved as a new revision."))
                return redirect("kb:article_detail", pk=article.pk)
    elif article is not None and article.head is not None:
        form = ArticleForm(initial=ArticleForm.initial_from(article.head), units=units)
    else:
        # An upkeep article is drafted from a citizen's order: internal until someone decides
        # on purpose that it is for the public (and holds nothing about that citizen).
        initial: dict[str, Any] = {"unit": user.unit_id, "public": task is None}
        if task is not None:
            initial["title"] = task.order.title
            initial["reason"] = _("Upkeep after order %(number)s") % {"number": task.order.number}
        form = ArticleForm(initial=initial, units=units)
    context: dict[str, Any] = {"form": form, "article": article, "task": task}
    if article is None:
        context["submission"] = once.posted_token(request.POST) or once.new_token()
    return render(request, "kb/article_edit.html", context)


@login_required
@require_POST
def article_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = _staff(request)
    article = _article(user, pk)
    reason = request.POST.get("reason", "")[:1000]
    v = parse_id(request.POST.get("version"))
    functions = {
        ArticleAction.SUBMIT: lambda: actions.submit(
            article, user, note=reason, expected_version=v
        ),
        ArticleAction.PUBLISH: lambda: actions.publish(
            article, user, note=reason, expected_version=v
        ),
        ArticleAction.SEND_BACK: lambda: actions.send_back(
            article, user, reason=reason, expected_version=v
        ),
        ArticleAction.RETIRE: lambda: actions.retire(
            article, user, reason=reason, expected_version=v
        ),
        ArticleAction.RESTORE: lambda: actions.restore(
            article, user, reason=reason, expected_version=v
        ),
    }
    if action not in functions:
        raise Http404
    try:
        functions[ArticleAction(action)]()
    except ActionError as exc:
        if _sent_twice(article, user, action, v):
            # A double click or Back and send again: the first sending did what this one asks
            # (the change made from the version the page showed is this very action, by this
            # person), so say it is done rather than that the article cannot be published.
            messages.success(request, _done(article, action))
        else:
            messages.error(request, exc.message)
    else:
        messages.success(request, _done(article, action))
    return redirect("kb:article_detail", pk=article.pk)


def _done(article: Article, action: str) -> str:
    """What the flash says once an action is done: a sentence, not the button's verb (h5,
    session 24: the green box said just '发布')."""
    if action == ArticleAction.PUBLISH:
        article.refresh_from_db(fields=["public"])
        if article.public:
            return str(_("Published: citizens can find it on the portal."))
        return str(_("Published: operators and units can find it."))
    return str(
        {
            ArticleAction.SUBMIT: _("Submitted for review."),
            ArticleAction.SEND_BACK: _("Sent back for changes."),
            ArticleAction.RETIRE: _("Retired."),
            ArticleAction.RESTORE: _("Restored."),
        }.get(ArticleAction(action), ArticleAction(action).label)
    )


def _sent_twice(
    article: Article,
    user: User,
    action: str,
    version: int | None,
    payload: dict[str, Any] | None = None,
) -> bool:
    """Whether the change made from ``version`` (its event's sequence is ``version + 1``) was
    ``action`` by ``user`` — and, with ``payload``, on the same file (these keys equal in its
    event): another file sent from the same stale page was not saved, and must not be said
    saved."""
    if version is None:
        return False
    event = ArticleEvent.objects.filter(
        article=article, seq=version + 1, action=action, actor=user
    ).first()
    if event is None:
        return False
    return all(event.payload.get(key) == value for key, value in (payload or {}).items())


def _may_attach(request: HttpRequest, pk: int) -> bool:
    """Files reach the disk only from staff who may see the article (the view says the rest)."""
    user = request.user
    return (
        logged_in(request)
        and is_staff_reader(user)  # type: ignore[arg-type]
        and visible_articles(user).filter(pk=pk).exists()  # type: ignore[arg-type]
    )


@uploads(_may_attach)
@login_required
@require_POST
def article_attach(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a file, or put it in place of one (``replaces``): a new revision, to be reviewed."""
    user = _staff(request)
    article = _article(user, pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a file to attach."))
    else:
        try:
            actions.attach(
                article,
                user,
                upload=upload,
                note=request.POST.get("note", "")[:1000],
                replaces=parse_id(request.POST.get("replaces")),
                expected_version=parse_id(request.POST.get("version")),
            )
        except ActionError as exc:
            same_file = {"attachment": upload_name(upload), "size": upload.size}
            _refused(request, exc, article, user, ArticleAction.ATTACH, same_file)
        else:
            messages.success(request, _attached_message(article))
    return redirect("kb:article_detail", pk=article.pk)


@login_required
@require_POST
def article_detach(request: HttpRequest, pk: int) -> HttpResponse:
    """Take a file off the article: a new revision without it, to be reviewed."""
    user = _staff(request)
    article = _article(user, pk)
    attachment = parse_id(request.POST.get("attachment"))
    try:
        if attachment is None:
            raise actions.InvalidInput(_("Choose the file to remove."))
        actions.detach(
            article,
            user,
            attachment=attachment,
            note=request.POST.get("note", "")[:1000],
            expected_version=parse_id(request.POST.get("version")),
        )
    except ActionError as exc:
        name = (
            ArticleAttachment.objects.filter(article=article, pk=attachment)
            .values_list("name", flat=True)
            .first()
            if attachment is not None
            else None
        )
        _refused(request, exc, article, user, ArticleAction.DETACH, {"attachment": name})
    else:
        messages.success(request, _attached_message(article))
    return redirect("kb:article_detail", pk=article.pk)


def _refused(
    request: HttpRequest,
    exc: ActionError,
    article: Article,
    user: User,
    action: ArticleAction,
    same_file: dict[str, Any],
) -> None:
    """A double click (or Back and send again) on a file form: the first sending did it, so
    say so rather than that someone else changed the article — only when it was this very file
    (``same_file``: the keys its event records)."""
    if _sent_twice(article, user, action, parse_id(request.POST.get("version")), same_file):
        messages.success(request, _attached_message(article))
    else:
        messages.error(request, exc.message)


def _attached_message(article: Article) -> str:
    if article.published_id:
        return _(
            "Saved as a new revision: people see the published files until the reviewer "
            "publishes it."
        )
    return _("Saved as a new revision.")


@login_required
def attachment_download(request: HttpRequest, pk: int, attachment: int) -> FileResponse:
    """A file of a revision the user may read: the published one's, or (the article's unit and
    the reviewer) any revision's, a proposed file included."""
    user = _staff(request)
    article = _article(user, pk)
    files = ArticleAttachment.objects.filter(article=article)
    if not sees_drafts(user, article):
        files = (
            files.filter(revisions=article.published_id) if article.published_id else files.none()
        )
    found = get_object_or_404(files.distinct(), pk=attachment)
    return FileResponse(found.file.open("rb"), as_attachment=True, filename=found.name)


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    """Articles waiting for the knowledge reviewer, oldest first.

    A row shows the proposed change (its title, who wrote it, why), so it lists only what the
    article page would show the user too (:func:`drafts_seen`): the reviewer everything, a unit
    its own remit, other staff nothing — a published article's pending change is not theirs.
    """
    user = _staff(request)
    waiting = (
        drafts_seen(user, visible_articles(user).filter(state=ArticleState.IN_REVIEW))
        .select_related("unit", "head", "head__author")
        .order_by("updated_at")
    )
    return render(
        request,
        "kb/review_queue.html",
        {"waiting": waiting, "is_reviewer": user.has_role(Role.KNOWLEDGE_REVIEWER)},
    )


@login_required
def revision_diff(request: HttpRequest, pk: int) -> HttpResponse:
    """Any two revisions side by side: changed fields and a line diff of the text."""
    user = _staff(request)
    article = _article(user, pk)
    if not sees_drafts(user, article):
        raise PermissionDenied(_("Only the responsible unit and the reviewer see revisions."))
    numbers = list(article.revisions.order_by("number").values_list("number", flat=True))
    new_number = parse_id(request.GET.get("b")) or numbers[-1]
    previous = max(1, new_number - 1)
    # A proposed change may span several revisions: by default the reviewer sees all of what
    # publishing would change, not only its last step.
    published = article.published
    if published is not None and published.pk != article.head_id and new_number == numbers[-1]:
        previous = published.number
    old_number = parse_id(request.GET.get("a")) or previous
    old = get_object_or_404(Revision, article=article, number=old_number)
    new = get_object_or_404(Revision, article=article, number=new_number)
    before, after = actions.snapshot(old), actions.snapshot(new)
    labels = {f.name: f.verbose_name for f in Revision._meta.concrete_fields}
    labels["categories"] = Revision._meta.get_field("categories").verbose_name
    fields = [
        {"name": labels.get(name, name), "old": _show(name, old), "new": _show(name, new)}
        for name in actions.CONTENT_FIELDS
        if name != "body" and before[name] != after[name]
    ]
    old_files, new_files = _files(old), _files(new)
    if old_files != new_files:
        fields.append(
            {
                "name": Revision._meta.get_field("attachments").verbose_name,
                "old": old_files or "—",
                "new": new_files or "—",
            }
        )
    return render(
        request,
        "kb/revision_diff.html",
        {
            "article": article,
            "old": old,
            "new": new,
            "numbers": numbers,
            "fields": fields,
            "lines": diff_lines(plain_text(old.body), plain_text(new.body)),
        },
    )


def _files(revision: Revision) -> str:
    return _(", ").join(f.name for f in revision.attachments.order_by("uploaded_at", "pk"))


def _show(name: str, revision: Revision) -> str:
    if name == "categories":
        return _(", ").join(c.name for c in revision.categories.all()) or "—"
    if name == "unit":
        return revision.unit.name
    if name == "public":
        return _("Public") if revision.public else _("Internal")
    value = getattr(revision, name)
    return str(value) if value not in (None, "") else "—"
