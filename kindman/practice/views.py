"""The accessibility problem report: a private form page (it holds what the visitor wrote), so
the statement it is linked from stays a cacheable reading page."""

import logging

from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kindman.outage import keeps_answers
from kindman.privacy import private_form_page, private_page
from kindman.spam import rate_limited, too_many_requests

from .forms import AccessibilityReportForm
from .models import AccessibilityPage

logger = logging.getLogger(__name__)


def _statement():
    return AccessibilityPage.objects.live().public().first()


@keeps_answers(AccessibilityReportForm)
@private_form_page
@require_http_methods(["GET", "POST"])
def report_problem(request):
    status = 200
    if request.method == "POST":
        if rate_limited(request, "accessibility-report"):
            return too_many_requests(request)
        form = AccessibilityReportForm(request.POST)
        if form.is_spam():
            logger.info("accessibility report refused: honeypot filled")
            form.add_error(
                None, _("We couldn't accept this form. Please call or email us instead.")
            )
            status = 400
        elif form.is_valid():
            form.save()
            return redirect("practice:accessibility_report_sent")
        else:
            status = 400
    else:
        form = AccessibilityReportForm()
    context = {"form": form, "statement": _statement()}
    return TemplateResponse(request, "kindman/practice/report_problem.html", context, status=status)


@private_page
@require_GET
def report_sent(request):
    context = {"statement": _statement()}
    return TemplateResponse(request, "kindman/practice/report_sent.html", context)
