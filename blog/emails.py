"""The newsletter's emails, sent through the outbox (`kindman.emails`). Each carries a working
unsubscribe link, in the body and as a List-Unsubscribe header."""

from django.urls import reverse

from kindman.emails import email_builder, render_email
from kindman.models import PracticeSettings
from kindman.origin import public_url


@email_builder("newsletter_confirmation", "Newsletter: confirm your address")
def build_confirmation(delivery, subscriber):
    """A fresh confirmation link (only its hash is stored), while the address still waits."""
    if subscriber.status != subscriber.Status.PENDING:
        return None
    token = subscriber.new_confirmation_token()
    unsubscribe_url = public_url(
        reverse("blog:newsletter_unsubscribe", args=[subscriber.unsubscribe_token])
    )
    context = {
        "subscriber": subscriber,
        "confirm_url": public_url(reverse("blog:newsletter_confirm", args=[token])),
        "unsubscribe_url": unsubscribe_url,
        "practice": PracticeSettings.load(),
    }
    return render_email(
        "blog/email/confirm",
        context,
        to=[subscriber.email],
        headers={"List-Unsubscribe": f"<{unsubscribe_url}>"},
    )
