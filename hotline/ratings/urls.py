from django.urls import path

from hotline.ratings.views import citizen, referral, staff

app_name = "ratings"

urlpatterns = [
    path("pad/", citizen.pad_page, name="pad"),
    path("pad/live", citizen.pad_live, name="pad_live"),
    path("pad/<str:token>/", citizen.pad_old_address, name="pad_old_address"),
    path("visit/<str:token>/", citizen.visit, name="visit"),
    path("visit/<str:token>/sms", citizen.send_sms, name="send_sms"),
    path("r/<str:signed>/", citizen.sms, name="sms"),
    path("hall/", staff.my_hall, name="my_hall"),
    path("hall/<slug:code>/", staff.hall_ratings, name="hall"),
    path("hall/<slug:code>/pads/<int:number>/enrol", staff.enrol_pad, name="enrol_pad"),
    path("hall/<slug:code>/pads/<int:number>/revoke", staff.revoke_pad, name="revoke_pad"),
    path("appeals/", staff.appeals, name="appeals"),
    path("cannot-do/", referral.cannot_do, name="cannot_do"),
    path("<int:pk>/appeal", staff.appeal, name="appeal"),
    path("<int:pk>/appeal/<str:verdict>", staff.decide, name="decide"),
]
