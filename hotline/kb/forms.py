"""Forms for the knowledge-base pages: typed input in, :class:`~hotline.kb.actions.Content` out."""

from __future__ import annotations

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from hotline.kb.actions import Content
from hotline.kb.models import Revision
from hotline.org.models import Category, Unit
from hotline.web.unit_picker import UnitTreeSelectMultiple, initials
from hotline.web.widgets import DateBox

#: Ids and versions in URLs and hidden fields have at most this many digits: a longer number
#: names nothing and would overflow the database's integer (a 500 on SQLite).
ID_DIGITS = 9


def parse_id(raw: str | None) -> int | None:
    """A positive number typed into a URL or posted by a page, or ``None`` for anything else.
    ASCII digits only: ``"²".isdigit()`` is true and ``int("²")`` fails."""
    if raw and raw.isascii() and raw.isdecimal() and len(raw) <= ID_DIGITS:
        return int(raw)
    return None


class CategoryTreeSelectMultiple(UnitTreeSelectMultiple):
    """The categories as a tree (each under its parent, with its pinyin initials and code), for
    unit-picker.js: search, chips, one click to add or remove. The select stays in the form."""

    def set_categories(self, categories: list[Category]) -> None:
        present = {c.pk for c in categories}
        children: dict[int | None, list[Category]] = {}
        for category in categories:
            parent = category.parent_id if category.parent_id in present else None
            children.setdefault(parent, []).append(category)
        ordered: list[tuple[Category, int]] = []

        def walk(parent: int | None, depth: int) -> None:
            for category in sorted(children.get(parent, []), key=lambda c: (c.sort_order, c.code)):
                ordered.append((category, depth))
                walk(category.pk, depth + 1)

        walk(None, 0)
        self.choices = [(c.pk, c.name) for c, _depth in ordered]
        self.facts = {
            str(c.pk): {
                "data-depth": depth,
                "data-parent": c.parent_id if depth else "",
                "data-initials": initials(c.name),
                "data-keys": c.code.lower(),
            }
            for c, depth in ordered
        }


class ArticleForm(forms.Form):
    """One revision's content and why it changed."""

    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Article text"),
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=format_lazy(
            "{} {}",
            _(
                "Headings, lists, tables and links are kept (HTML); anything else is removed. "
                "Plain text works too: a blank line starts a paragraph."
            ),
            _(
                "Notes for staff go inside <aside>…</aside>: staff see them here, the portal "
                "and an answer taken from the article leave them out."
            ),
        ),
    )
    keywords = forms.CharField(
        label=_("Keywords"), max_length=300, required=False, help_text=_("Separated by commas.")
    )
    unit = forms.ModelChoiceField(label=_("Responsible unit"), queryset=Unit.objects.none())
    categories = forms.ModelMultipleChoiceField(
        label=_("Categories"),
        queryset=Category.objects.filter(active=True).order_by("code"),
        required=False,
        # The dispatch dialog's picker over the category tree (h5, session 24, L8): a plain
        # multi-select of ~300 lines needed Ctrl-click, and a plain click dropped the others.
        widget=CategoryTreeSelectMultiple(
            attrs={
                "size": 6,
                "data-unit-picker": "many",
                "data-placeholder": _("Type a category or its pinyin initials"),
                "data-empty": _("No category matches."),
                "data-remove": _("Remove"),
            }
        ),
    )
    source_name = forms.CharField(label=_("Policy document"), max_length=200, required=False)
    source_number = forms.CharField(label=_("Document number"), max_length=100, required=False)
    effective_on = forms.DateField(label=_("Effective date"), required=False, widget=DateBox())
    review_by = forms.DateField(label=_("Review by"), required=False, widget=DateBox())
    public = forms.BooleanField(
        label=_("Public (citizens can find it on the portal)"), required=False
    )
    reason = forms.CharField(
        label=_("Why this change"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, units, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        categories = self.fields["categories"]
        categories.widget.set_categories(list(categories.queryset))  # type: ignore[attr-defined]

    @classmethod
    def initial_from(cls, revision: Revision) -> dict:
        return {
            "title": revision.title,
            "body": revision.body,
            "keywords": revision.keywords,
            "unit": revision.unit_id,
            "categories": list(revision.categories.values_list("pk", flat=True)),
            "source_name": revision.source_name,
            "source_number": revision.source_number,
            "effective_on": revision.effective_on,
            "review_by": revision.review_by,
            "public": revision.public,
        }

    def content(self) -> Content:
        data = self.cleaned_data
        return Content(
            title=data["title"],
            body=data["body"],
            unit=data["unit"],
            keywords=data["keywords"],
            categories=list(data["categories"]),
            source_name=data["source_name"],
            source_number=data["source_number"],
            effective_on=data["effective_on"],
            review_by=data["review_by"],
            public=data["public"],
        )


class SynonymGroupForm(forms.Form):
    """One synonym group as the reviewer types it: terms on one line, the direction, why."""

    terms = forms.CharField(
        label=_("Terms"),
        max_length=700,
        help_text=_("Separated by / or 、, e.g. 资格/条件/符合/年满."),
        widget=forms.TextInput(attrs={"placeholder": "资格/条件/符合/年满"}),
    )
    one_way = forms.BooleanField(
        label=_("One way: only the first term brings in the others"), required=False
    )
    reason = forms.CharField(label=_("Why"), max_length=500, required=False)


class SynonymImportForm(forms.Form):
    file = forms.FileField(label=_("Excel or CSV file with the columns terms, one_way"))
