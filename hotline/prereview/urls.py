"""``/prereview/…``: the hall clerks' pre-review queue and pages."""

from django.urls import path

from hotline.prereview.views import staff

app_name = "prereview"

urlpatterns = [
    path("", staff.queue, name="queue"),
    path("<str:number>/", staff.detail, name="detail"),
    path("<str:number>/decide/<slug:action>", staff.decide, name="decide"),
    path("<str:number>/files/<int:pk>", staff.download, name="file"),
]
