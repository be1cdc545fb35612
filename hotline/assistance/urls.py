from django.urls import path

from hotline.assistance import views

app_name = "assistance"

urlpatterns = [
    path("", views.assistance_list, name="list"),
    path("<int:pk>/<str:action>", views.step, name="step"),
]
