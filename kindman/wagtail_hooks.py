from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from kindman import second_factor
from kindman.reports import TRANSLATE_PERMISSION, UntranslatedPagesView


@hooks.register("register_admin_urls")
def second_factor_urls():
    return [
        path("two-step/", second_factor.ManageView.as_view(), name="kindman_second_factor"),
        path(
            "two-step/enrol/",
            second_factor.EnrolView.as_view(),
            name="kindman_second_factor_enrol",
        ),
        path(
            "two-step/verify/",
            second_factor.VerifyView.as_view(),
            name="kindman_second_factor_verify",
        ),
        path(
            "two-step/<int:pk>/remove/",
            second_factor.RemoveView.as_view(),
            name="kindman_second_factor_remove",
        ),
    ]


@hooks.register("register_account_menu_item")
def second_factor_account_item(request):
    return {
        "url": reverse("kindman_second_factor"),
        "label": "Two-step sign-in",
        "help_text": "See the authenticator apps on your account, add one or remove one.",
    }


@hooks.register("register_log_actions")
def second_factor_log_actions(actions):
    second_factor.register_log_actions(actions)


@hooks.register("register_admin_urls")
def untranslated_pages_urls():
    return [
        path(
            "reports/not-in-spanish/",
            UntranslatedPagesView.as_view(),
            name="kindman_untranslated_pages",
        ),
        path(
            "reports/not-in-spanish/results/",
            UntranslatedPagesView.as_view(results_only=True),
            name="kindman_untranslated_pages_results",
        ),
    ]


class TranslatorsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(TRANSLATE_PERMISSION)


@hooks.register("register_reports_menu_item")
def untranslated_pages_menu_item():
    return TranslatorsMenuItem(
        "Not yet in Spanish",
        reverse("kindman_untranslated_pages"),
        name="not-in-spanish",
        icon_name="site",
        order=750,
    )


@hooks.register("construct_reports_menu")
def translations_report_for_translators_only(request, menu_items):
    # wagtail-localize shows its Translations report to every user; staff who cannot translate
    # (the Care Coordinator) would find a report with nothing for them in it.
    if not request.user.has_perm(TRANSLATE_PERMISSION):
        menu_items[:] = [item for item in menu_items if item.name != "translations"]
