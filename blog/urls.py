from django.urls import path

from . import views

app_name = "blog"

urlpatterns = [
    path("blog/feed/", views.post_feed, name="feed"),
    path("search/", views.search, name="search"),
    path("newsletter/", views.newsletter, name="newsletter"),
    path(
        "newsletter/check-your-inbox/", views.newsletter_check_inbox, name="newsletter_check_inbox"
    ),
    path("newsletter/confirm/<slug:token>/", views.newsletter_confirm, name="newsletter_confirm"),
    path("newsletter/confirmed/", views.newsletter_confirmed, name="newsletter_confirmed"),
    path(
        "newsletter/unsubscribe/<slug:token>/",
        views.newsletter_unsubscribe,
        name="newsletter_unsubscribe",
    ),
    path("newsletter/unsubscribed/", views.newsletter_unsubscribed, name="newsletter_unsubscribed"),
]
