from django.urls import path

from hotline.hall.views import (
    appointments,
    booking,
    clerk,
    hours,
    kiosks,
    manager,
    public,
    reception,
    remote,
    selfservice,
    slots,
)

app_name = "hall"

urlpatterns = [
    path("", clerk.my_desk, name="my_desk"),
    path("<slug:code>/kiosk/", public.kiosk, name="kiosk"),
    path("<slug:code>/self-service/<slug:kiosk>/", selfservice.kiosk, name="self_service"),
    path(
        "<slug:code>/self-service/<slug:kiosk>/materials/",
        selfservice.materials,
        name="self_service_materials",
    ),
    path("<slug:code>/kiosk/check-in/", booking.check_in, name="check_in"),
    path("<slug:code>/kiosk/materials/", selfservice.materials, name="kiosk_materials"),
    path("<slug:code>/materials/", selfservice.hall_materials, name="materials"),
    path("<slug:code>/book/", booking.book, name="book"),
    path("<slug:code>/today/", remote.remote_ticket, name="remote_ticket"),
    # Before the booking page's pattern: "cancel" is no booking code (those are upper-case).
    path("<slug:code>/book/cancel/", booking.cancel, name="cancel_booking"),
    path("<slug:code>/book/move/", booking.move, name="move_booking"),
    path("<slug:code>/book/<str:booking>/", booking.booked, name="booked"),
    path(
        "appointments/<str:booking_code>/cancel-for-caller",
        booking.cancel_for_caller,
        name="cancel_for_caller",
    ),
    path(
        "appointments/<str:booking_code>/move-for-caller",
        booking.move_for_caller,
        name="move_for_caller",
    ),
    path("ticket/<str:token>/", public.ticket, name="ticket"),
    path("place/<str:token>/", public.place, name="place"),
    path("place/<str:token>/give-up/", public.give_up, name="give_up"),
    path("<slug:code>/board/", public.hall_board, name="board"),
    path("<slug:code>/board/window/<int:number>/", public.window_display, name="window_display"),
    path("<slug:code>/desk/", clerk.desk, name="desk"),
    path("<slug:code>/desk/act", clerk.act, name="act"),
    path("<slug:code>/reception/", reception.reception, name="reception"),
    path("<slug:code>/appointments/", appointments.appointments, name="appointments"),
    path(
        "<slug:code>/appointments/<str:booking_code>/cancel",
        appointments.cancel,
        name="cancel_appointment",
    ),
    path(
        "<slug:code>/appointments/<str:booking_code>/move",
        appointments.move,
        name="move_appointment",
    ),
    path("<slug:code>/manage/", manager.manage, name="manage"),
    path("<slug:code>/manage/alerts/<int:pk>/ack", manager.acknowledge, name="acknowledge"),
    path("<slug:code>/manage/floor/", manager.floor, name="floor"),
    path(
        "<slug:code>/manage/windows/<int:number>/state",
        manager.window_state,
        name="manage_window_state",
    ),
    path(
        "<slug:code>/manage/windows/<int:number>/clerk",
        manager.window_clerk,
        name="manage_window_clerk",
    ),
    path("<slug:code>/manage/kiosks/<slug:kiosk>/enrol", kiosks.enrol, name="enrol_kiosk"),
    path("<slug:code>/manage/kiosks/<slug:kiosk>/revoke", kiosks.revoke, name="revoke_kiosk"),
    path("<slug:code>/manage/lunch/", hours.lunch, name="lunch"),
    path("<slug:code>/manage/slots/", slots.slots, name="slots"),
    path("<slug:code>/manage/slots/add", slots.add, name="add_slots"),
    path("<slug:code>/manage/slots/copy-week", slots.copy_week, name="copy_slots_week"),
    path("<slug:code>/manage/slots/<int:pk>/capacity", slots.capacity, name="slot_capacity"),
    path("<slug:code>/manage/slots/<int:pk>/close", slots.close, name="close_slot"),
]
