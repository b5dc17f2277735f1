"""The agenda's "Good Faith Estimates to send": the open requests, due or overdue, and the
"mark sent" button."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from kindman.timezones import PRACTICE_TZ

from ..calls import estimates
from ..calls.models import GoodFaithEstimate
from .base import CALL_PERMISSION, require


def estimates_to_send(now) -> dict:
    """The agenda section's context: open requests, soonest due first, and today's date."""
    return {
        "estimates": GoodFaithEstimate.objects.to_send()
        .select_related("consultation")
        .order_by("due_on", "requested_at"),
        "estimates_today": now.astimezone(PRACTICE_TZ).date(),
    }


@require_POST
def mark_estimate_sent(request, pk):
    require(request, CALL_PERMISSION)
    estimate = get_object_or_404(GoodFaithEstimate.objects.to_send(), pk=pk)
    if estimates.mark_sent(estimate, user=request.user):
        messages.success(
            request, f"Marked the Good Faith Estimate for {estimate.consultation.name} sent."
        )
    return redirect("consultation_agenda:index")
