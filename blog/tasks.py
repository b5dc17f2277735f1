from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from kindman.models import PracticeSettings
from kindman.origin import public_url


def subscriber_email(subscriber, template: str, **context):
    """An email to a subscriber from `blog/email/<template>_{subject,body}.txt` and `.html`.
    Every one carries a working unsubscribe link, in the body and as a List-Unsubscribe header."""
    unsubscribe_url = public_url(
        reverse("blog:newsletter_unsubscribe", args=[subscriber.unsubscribe_token])
    )
    context.update(
        subscriber=subscriber,
        unsubscribe_url=unsubscribe_url,
        practice=PracticeSettings.load(),
    )
    subject = render_to_string(f"blog/email/{template}_subject.txt", context).strip()
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=render_to_string(f"blog/email/{template}_body.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[subscriber.email],
        headers={"List-Unsubscribe": f"<{unsubscribe_url}>"},
    )
    message.attach_alternative(
        render_to_string(f"blog/email/{template}_body.html", context), "text/html"
    )
    return message


@task()
def send_confirmation_email(subscriber_id: int, base_url: str = "") -> None:
    """Mint a confirmation token (only its hash is stored) and email the link. `base_url` is
    ignored: tasks queued by an older release still pass one."""
    from .models import Subscriber

    subscriber = Subscriber.objects.filter(
        pk=subscriber_id, status=Subscriber.Status.PENDING
    ).first()
    if subscriber is None:
        return
    token = subscriber.new_confirmation_token()
    confirm_url = public_url(reverse("blog:newsletter_confirm", args=[token]))
    subscriber_email(subscriber, "confirm", confirm_url=confirm_url).send()
