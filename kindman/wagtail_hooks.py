from django.urls import path, reverse
from wagtail import hooks

from kindman import second_factor


@hooks.register("register_admin_urls")
def second_factor_urls():
    return [
        path("two-step/enrol/", second_factor.enrol, name="kindman_second_factor_enrol"),
        path("two-step/verify/", second_factor.verify, name="kindman_second_factor_verify"),
    ]


@hooks.register("register_account_menu_item")
def second_factor_account_item(request):
    return {
        "url": reverse("kindman_second_factor_enrol"),
        "label": "Two-step sign-in",
        "help_text": "Add an authenticator app to your account.",
    }
