from django.urls import path

from hotline.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("<str:number>/", views.detail, name="detail"),
    path("<str:number>/act", views.act, name="act"),
    path("<str:number>/orders", views.citizen_orders, name="citizen_orders"),
    path("<str:number>/print/<slug:kind>/", views.document, name="document"),
]
