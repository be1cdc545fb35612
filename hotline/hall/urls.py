from django.urls import path

from hotline.hall.views import clerk, public

app_name = "hall"

urlpatterns = [
    path("", clerk.my_desk, name="my_desk"),
    path("<slug:code>/kiosk/", public.kiosk, name="kiosk"),
    path("ticket/<str:token>/", public.ticket, name="ticket"),
    path("place/<str:token>/", public.place, name="place"),
    path("<slug:code>/board/", public.hall_board, name="board"),
    path("<slug:code>/board/window/<int:number>/", public.window_display, name="window_display"),
    path("<slug:code>/desk/", clerk.desk, name="desk"),
    path("<slug:code>/desk/act", clerk.act, name="act"),
]
