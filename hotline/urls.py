from django.contrib import admin
from django.urls import include, path

from hotline.api.v1 import api as api_v1
from hotline.web import views

admin.site.site_header = admin.site.site_title = "Hotline 12345"

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", api_v1.urls),
]
