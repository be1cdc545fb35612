"""The matter catalogue in the admin: matters with their materials, bundles, and the catalogue's
Excel/CSV import and export (the same checks as ``hotline matters import``), so a district admin
with only a browser keeps the catalogue from a spreadsheet (walk-through, session 24)."""

from __future__ import annotations

import io
import logging
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hotline.interchange.report import ImportReport
from hotline.interchange.tables import TableError, format_of, read_table, write_table
from hotline.matters.interchange import KINDS
from hotline.matters.models import Bundle, Material, Matter

KINDS_MODEL: dict[str, type[Any]] = {"matters": Matter, "materials": Material, "bundles": Bundle}

#: What one upload may hold (review r1 L2): a district's catalogue is a few thousand matters and
#: their material lists; a bigger file is refused before it is read, a longer one as soon as the
#: row past the cap is read (an .xlsx expands well beyond its size).
MAX_UPLOAD_MB = 10
MAX_ROWS = 20_000

logger = logging.getLogger(__name__)

KIND_CHOICES = [
    ("matters", gettext_lazy("Matters")),
    ("materials", gettext_lazy("Material lists")),
    ("bundles", gettext_lazy("Bundles")),
]


class CatalogueImportForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("What the file holds"), choices=KIND_CHOICES)
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy(
            "An Excel workbook (.xlsx, first sheet) or CSV file with a header row, in the "
            "columns the export writes. A file with any problem imports nothing."
        ),
    )
    dry_run = forms.BooleanField(
        label=gettext_lazy("Check only, import nothing"), required=False, initial=True
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(
                _(
                    "The file is %(size).1f MB; the import takes files up to %(max)d MB "
                    "(%(rows)s rows). Split it into smaller files."
                )
                % {"size": upload.size / 1024 / 1024, "max": MAX_UPLOAD_MB, "rows": f"{MAX_ROWS:,}"}
            )
        return upload


def _record_import(request: HttpRequest, kind: str, name: str, report: ImportReport) -> None:
    """Who imported what (review r1 L2): one line in the admin's log, as every admin change
    writes (the admin's "Recent actions"), and in the server's log.
    The words are the audit's, stored in English."""
    text = f"Imported {kind} from {name!r}: created {report.created}, updated {report.updated}."
    user_id = request.user.pk
    assert user_id is not None  # admin_view: only a signed-in admin gets here
    LogEntry.objects.create(
        user_id=user_id,
        content_type=ContentType.objects.get_for_model(KINDS_MODEL[kind]),
        object_id=None,
        object_repr=f"{kind} import: {name}"[:200],
        action_flag=CHANGE,
        change_message=text,
    )
    logger.info("catalogue import by %s: %s", request.user.get_username(), text)


class MaterialInline(admin.TabularInline):
    model = Material
    extra = 1


@admin.register(Matter)
class MatterAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "name",
        "unit",
        "kind",
        "promised_days",
        "visits",
        "queue_group",
        "active",
    )
    list_filter = ("kind", "queue_group", "appointment_allowed", "remote_ticket_allowed", "active")
    search_fields = ("code", "name")
    inlines = [MaterialInline]

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="matters_matter_import",
            ),
            path(
                "export/<str:kind>.<str:fmt>",
                self.admin_site.admin_view(self.export_view),
                name="matters_matter_export",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """Upload a catalogue table: checked row by row as the command checks it, written in one
        transaction or not at all; "check only" shows what it would do."""
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        form = CatalogueImportForm(request.POST or None, request.FILES or None)
        report: ImportReport | None = None
        unreadable = ""
        status = 200
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            importer = KINDS[form.cleaned_data["kind"]][0]
            try:
                table = read_table(upload, format_of(upload.name), max_rows=MAX_ROWS)
            except TableError as exc:
                unreadable = str(exc)
            else:
                report = importer(table, dry_run=form.cleaned_data["dry_run"])
            if unreadable or (report and report.errors):
                status = 422
            elif report and not report.dry_run:
                _record_import(request, form.cleaned_data["kind"], upload.name, report)
                messages.success(
                    request,
                    _("Imported: created %(created)d, updated %(updated)d.")
                    % {"created": report.created, "updated": report.updated},
                )
                return redirect("admin:matters_matter_changelist")
        elif request.method == "POST":
            status = 422
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import the catalogue from Excel or CSV"),
            "form": form,
            "report": report,
            "unreadable": unreadable,
            # The command's words: "Problems: 2. Nothing was imported."
            "problems": _("Problems: %(n)d.") % {"n": len(report.errors)}
            + " "
            + _("Nothing was imported.")
            if report and report.errors
            else "",
            "kinds": KIND_CHOICES,
        }
        return TemplateResponse(request, "admin/matters/matter/import.html", context, status=status)

    def export_view(self, request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
        """The catalogue in the import's columns, so a file round-trips."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        if kind not in KINDS or fmt not in ("xlsx", "csv"):
            raise Http404
        header, rows = KINDS[kind][1]()
        out = io.BytesIO()
        write_table(out, fmt, header, rows, title=kind)
        response = HttpResponse(
            out.getvalue(),
            content_type="text/csv; charset=utf-8"
            if fmt == "csv"
            else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{kind}.{fmt}"'
        return response


class BundleForm(forms.ModelForm):
    class Meta:
        model = Bundle
        fields = ("code", "name", "matters", "active")

    def clean_matters(self) -> Any:
        """As the import checks: a bundle (一件事) joins at least two matters."""
        matters = self.cleaned_data["matters"]
        if len(matters) < 2:
            raise forms.ValidationError(_("a bundle joins at least two matters"))
        return matters


@admin.register(Bundle)
class BundleAdmin(admin.ModelAdmin):
    form = BundleForm
    list_display = ("code", "name", "active")
    search_fields = ("code", "name")
    filter_horizontal = ("matters",)
