"""The information-session pages: /info-sessions/…"""

from django.urls import path

from . import views

urlpatterns = [
    path("info-sessions/", views.session_list, name="session_list"),
    path(
        "info-sessions/manage/done/<slug:outcome>/",
        views.session_manage_done,
        name="session_manage_done",
    ),
    path("info-sessions/manage/<str:token>/", views.session_manage, name="session_manage"),
    path(
        "info-sessions/manage/<str:token>/<slug:action>/",
        views.session_manage_confirm,
        name="session_manage_confirm",
    ),
    path("info-sessions/not-me/<str:token>/", views.session_not_me, name="session_not_me"),
    path(
        "info-sessions/manage/<str:token>/session.ics",
        views.session_manage_invite,
        name="session_manage_invite",
    ),
    path("info-sessions/<slug:slug>/", views.session_detail, name="session_detail"),
    path(
        "info-sessions/<slug:slug>/check-your-email/",
        views.session_check_email,
        name="session_check_email",
    ),
]
