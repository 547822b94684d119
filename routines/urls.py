from django.urls import path

from . import views

app_name = "routines"

urlpatterns = [
    path("", views.RoutineListView.as_view(), name="routine_list"),
    path("<slug:slug>/", views.RoutineDetailView.as_view(), name="routine_detail"),
    path("<slug:slug>/cheatsheet/", views.RoutineCheatSheetView.as_view(), name="routine_cheatsheet"),
    path("<slug:slug>/play/", views.player_start, name="player_start"),
    path("<slug:slug>/play/finish/", views.player_finish, name="player_finish"),
    path("<slug:slug>/play/offline.json", views.player_offline, name="player_offline"),
    path("<slug:slug>/play/<int:number>/", views.player_stop, name="player_stop"),
]
