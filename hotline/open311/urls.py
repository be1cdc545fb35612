"""``/open311/v2/…``: every resource with a ``.xml`` or ``.json`` suffix."""

from django.urls import re_path
from django.views.generic import RedirectView

from hotline.open311 import views

app_name = "open311"
FMT = r"\.(?P<fmt>xml|json)$"

urlpatterns = [
    re_path(r"^$", RedirectView.as_view(url="discovery.xml"), name="root"),
    re_path(r"^discovery" + FMT, views.discovery, name="discovery"),
    re_path(r"^services" + FMT, views.service_list, name="services"),
    re_path(r"^services/(?P<code>[-\w]+)" + FMT, views.service_definition, name="service"),
    re_path(r"^requests" + FMT, views.requests, name="requests"),
    re_path(r"^requests/(?P<number>[-\w]+)" + FMT, views.service_request, name="request"),
    re_path(r"^(?P<path>.*)\.json$", views.not_found, {"fmt": "json"}),
    re_path(r"^(?P<path>.*)$", views.not_found),
]
