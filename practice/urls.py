from django.urls import path

from . import builder_views, views

app_name = "practice"

urlpatterns = [
    path("", views.my_practice, name="mine"),
    path("new/", views.practice_new, name="new"),
    path("new/cheatsheet/", views.practice_cheatsheet, name="new_cheatsheet"),
    path("new/save/", views.practice_save, name="new_save"),
    path("new/<str:token>/play/", views.practice_play_start, name="new_play_start"),
    path("new/<str:token>/offline.json", views.practice_offline, name="new_offline"),
    path("new/<str:token>/play/finish/", views.practice_play_finish, name="new_play_finish"),
    path("new/<str:token>/play/<int:number>/", views.practice_play, name="new_play"),
    path("build/", builder_views.build, name="build"),
    path("build/add/", builder_views.build_add, name="build_add"),
    path("build/change/", builder_views.build_change, name="build_change"),
    path("build/cheatsheet/", builder_views.build_cheatsheet, name="build_cheatsheet"),
    path("build/<str:code>/offline.json", builder_views.build_offline, name="build_offline"),
    path("build/<str:code>/play/", builder_views.build_play_start, name="build_play_start"),
    path("build/<str:code>/play/finish/", builder_views.build_play_finish, name="build_play_finish"),
    path("build/<str:code>/play/<int:number>/", builder_views.build_play, name="build_play"),
]
