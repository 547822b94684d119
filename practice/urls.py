from django.urls import path

from . import views

app_name = "practice"

urlpatterns = [
    path("", views.my_practice, name="mine"),
]
