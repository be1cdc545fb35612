from django.apps import apps
from django.contrib import admin
from django.http import HttpRequest
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from hotline.api.v1 import api as api_v1
from hotline.open311 import views as open311_views
from hotline.web import (
    appeals,
    dashboard,
    desks,
    intake,
    order_search,
    orders,
    sampling,
    unit_kpis,
    views,
)


def _admin_site_permission(request: HttpRequest) -> bool:
    """Django's check (an active staff member) and, for a superuser, the 管理员 role too.

    Roles decide everything else, but the flags ``createuser --role admin`` and the demo set are
    never cleared when the role is taken away (the user page's roles inline, a script): the
    former administrator kept the whole admin (attack report, session 22). Checked here, on every
    admin page (the read-only ones included), it cannot drift from the role as flags kept in
    step by every path that adds or removes a role could. Staff who are not superusers keep what
    an administrator gave them (a model's permission: e.g. the dispatch model's conflicts page).
    """
    user = request.user
    if not (user.is_active and user.is_staff):
        return False
    return not user.is_superuser or user.superuser_in_force


admin.site.has_permission = _admin_site_permission  # type: ignore[method-assign]
admin.site.site_header = admin.site.site_title = _("12345 hotline")
admin.site.index_title = _("Administration")
# django-axes names its app "Axes", untranslated: the admin index says what it is for.
apps.get_app_config("axes").verbose_name = _("Login lockout")
# A body over the limit is a 413, and an exception outside a view while the database is down a
# 503 (hotline/ops/errors.py).
handler400 = "hotline.ops.errors.bad_request"
handler500 = "hotline.ops.errors.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    # Login, logout, password change; password reset only where configured.
    path("accounts/", include("hotline.security.accounts")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", views.healthz, name="healthz"),
    # Browsers ask for /favicon.ico whatever the page says.
    path("favicon.ico", views.favicon),
    path("intake/", intake.intake, name="intake"),
    path("intake/caller-history", intake.caller_history, name="caller_history"),
    path("intake/prereview-link", intake.prereview_invite, name="prereview_invite"),
    path("intake/street", intake.street_suggestion, name="street_suggestion"),
    path("intake/category", intake.category_suggestion, name="category_suggestion"),
    path("intake/similar", intake.similar_orders, name="similar_orders"),
    path("orders/", order_search.order_list, name="order_list"),
    path("orders/export", order_search.order_export, name="order_export"),
    path("orders/<str:number>/", orders.order_detail, name="order_detail"),
    path("orders/<str:number>/act/<str:action>", orders.order_act, name="order_act"),
    path("orders/<str:number>/attach", orders.order_attach, name="order_attach"),
    path("orders/<str:number>/phone", orders.order_phone, name="order_phone"),
    path(
        "orders/<str:number>/attachments/<int:pk>",
        orders.attachment_download,
        name="attachment_download",
    ),
    path("desk/dispatch/", desks.dispatch_desk, name="dispatch_desk"),
    path("desk/unit/", desks.unit_inbox, name="unit_inbox"),
    path("desk/callback/", desks.callback_desk, name="callback_desk"),
    path("desk/supervision/", desks.supervision_desk, name="supervision_desk"),
    path("desk/badges", desks.badges, name="desk_badges"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard/orders", dashboard.kpi_orders, name="kpi_orders"),
    path("dashboard/kpis/", dashboard.kpi_definitions, name="kpi_definitions"),
    path("dashboard/hotspots", dashboard.dashboard_hotspots, name="dashboard_hotspots"),
    path("dashboard/report.xlsx", dashboard.monthly_report, name="monthly_report"),
    path("unit/assessment/", unit_kpis.unit_kpis, name="unit_kpis"),
    path("unit/assessment/orders", unit_kpis.unit_kpi_orders, name="unit_kpi_orders"),
    path("assessment/appeals/", appeals.appeal_queue, name="appeal_queue"),
    path("assessment/samples/", sampling.draws, name="sample_draws"),
    path("assessment/samples/<int:pk>/", sampling.sample_detail, name="sample_detail"),
    path(
        "assessment/samples/<int:pk>/items/<int:item>/review",
        sampling.review_item,
        name="sample_review",
    ),
    path("assessment/samples/<int:pk>.csv", sampling.sample_csv, name="sample_csv"),
    # The admin's own password change checks the old password without the lockout (an
    # unlimited guesser for whoever holds an admin's session): it goes to the account's page,
    # which counts a wrong old password as a failed login (hotline.security.accounts). Behind the
    # admin's own login check, as every admin URL is.
    path(
        "admin/password_change/",
        admin.site.admin_view(
            RedirectView.as_view(pattern_name="password_change", permanent=False)
        ),
    ),
    path("admin/", admin.site.urls),
    path("api/v1/", api_v1.urls),
    # Public, no login: Open311 GeoReport v2 (posting needs an api_key) and the citizen portal.
    # The service-discovery file conventionally sits above the versioned endpoints too.
    path("open311/discovery.xml", open311_views.discovery, {"fmt": "xml"}),
    path("open311/discovery.json", open311_views.discovery, {"fmt": "json"}),
    path("open311/v2/", include("hotline.open311.urls")),
    path("portal/kb/", include("hotline.kb.portal_urls")),
    path("portal/prereview/", include("hotline.prereview.portal_urls")),
    path("portal/", include("hotline.portal.urls")),
    path("kb/", include("hotline.kb.urls")),
    # The service hall: kiosk, displays and "my place" need no login; the window desk does.
    path("hall/", include("hotline.hall.urls")),
    # Cases (办件): the hall's clerks and manager.
    path("cases/", include("hotline.cases.urls")),
    # 好差评: the window's rating pad and the citizen's rating links need no login.
    path("ratings/", include("hotline.ratings.urls")),
    # 帮办 and 代办 at the hall (its staff, and leaders helping at a counter).
    path("assistance/", include("hotline.assistance.urls")),
    # 网上预审: the portal's uploads are reviewed here by the hall's clerks.
    path("prereview/", include("hotline.prereview.urls")),
]
