from django.urls import path

from . import views

app_name = "poses"

urlpatterns = [
    path("poses/", views.PoseListView.as_view(), name="pose_list"),
    path("poses/<slug:slug>/", views.PoseDetailView.as_view(), name="pose_detail"),
    path("muscles/", views.MuscleListView.as_view(), name="muscle_list"),
    path("muscles/<slug:slug>/", views.MuscleDetailView.as_view(), name="muscle_detail"),
]
