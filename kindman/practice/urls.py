"""/accessibility/report/: the form the accessibility statement links to."""

from django.urls import path

from . import views

app_name = "practice"

urlpatterns = [
    path("accessibility/report/", views.report_problem, name="accessibility_report"),
    path("accessibility/report/sent/", views.report_sent, name="accessibility_report_sent"),
]
