"""``/portal/prereview/…``: the citizen's pre-review pages (no login; their own pre-review is
reached through the link with its token)."""

from django.urls import path

from hotline.prereview.views import portal

app_name = "prereview_portal"

urlpatterns = [
    path("", portal.start, name="start"),
    path("new/<slug:hall>/<slug:matter>/", portal.new, name="new"),
    path("s/<str:token>/", portal.status, name="status"),
    path("s/<str:token>/resubmit", portal.resubmit, name="resubmit"),
    path("s/<str:token>/withdraw", portal.withdraw, name="withdraw"),
    path("s/<str:token>/files/<int:pk>", portal.download, name="file"),
]
