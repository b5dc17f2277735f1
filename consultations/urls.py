from django.urls import path

from . import views

app_name = "consultations"

urlpatterns = [
    path("consultation/", views.book, name="book"),
    path("consultation/booked/<uuid:public_id>/", views.booked, name="booked"),
    path(
        "consultation/booked/<uuid:public_id>/phone-call.ics",
        views.booked_invite,
        name="booked_invite",
    ),
    path("consultation/manage/done/<slug:outcome>/", views.manage_done, name="manage_done"),
    path("consultation/manage/<str:token>/", views.manage, name="manage"),
    path(
        "consultation/manage/<str:token>/phone-call.ics", views.manage_invite, name="manage_invite"
    ),
]

# --- Information sessions ---
from . import session_views  # noqa: E402

urlpatterns += [
    path("info-sessions/", session_views.session_list, name="session_list"),
    path(
        "info-sessions/manage/done/<slug:outcome>/",
        session_views.session_manage_done,
        name="session_manage_done",
    ),
    path("info-sessions/manage/<str:token>/", session_views.session_manage, name="session_manage"),
    path("info-sessions/not-me/<str:token>/", session_views.session_not_me, name="session_not_me"),
    path(
        "info-sessions/manage/<str:token>/session.ics",
        session_views.session_manage_invite,
        name="session_manage_invite",
    ),
    path("info-sessions/<slug:slug>/", session_views.session_detail, name="session_detail"),
    path(
        "info-sessions/<slug:slug>/check-your-email/",
        session_views.session_check_email,
        name="session_check_email",
    ),
]
