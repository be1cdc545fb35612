"""``/portal/…``: the public citizen portal (no login)."""

from django.urls import path

from hotline.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("submit/", views.submit, name="submit"),
    path("submitted/", views.submitted, name="submitted"),
    path("track/", views.track, name="track"),
    path("rate/<str:token>/", views.rate, name="rate"),
    path("statistics/", views.statistics, name="statistics"),
    path("halls/", views.halls, name="halls"),
]
