"""The booking pages of a call: /consultation/…"""

from django.urls import path

from . import views

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
        "consultation/manage/<str:token>/<slug:action>/",
        views.manage_confirm,
        name="manage_confirm",
    ),
    path(
        "consultation/manage/<str:token>/phone-call.ics", views.manage_invite, name="manage_invite"
    ),
]
