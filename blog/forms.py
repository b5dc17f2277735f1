from django import forms
from django.db import IntegrityError, transaction
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kindman.emails import queue_email
from kindman.spam import HoneypotFormMixin

from .models import Subscriber


class SubscribeForm(HoneypotFormMixin, forms.Form):
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("We send a link to confirm it’s you. Nothing is sent until you click it."),
    )

    def subscribe(self) -> None:
        """Ask the address's owner to confirm, at most once per cooling-off period. Whatever the
        address's state, the reader sees the same thing, so the form never reveals who is
        subscribed. Emails go out in the language of the page the form was sent from."""
        email = self.cleaned_data["email"]
        language = get_language()
        subscriber = Subscriber.objects.with_email(email).first()
        if subscriber is None:
            try:
                with transaction.atomic():
                    subscriber = Subscriber.objects.create(email=email, language=language)
            except IntegrityError:  # the same address, submitted twice at once
                return
        elif subscriber.status == Subscriber.Status.CONFIRMED:
            return
        else:
            subscriber.status = Subscriber.Status.PENDING
            subscriber.language = language
            subscriber.save(update_fields=["status", "language"])
        if subscriber.claim_confirmation_email():
            queue_email("newsletter_confirmation", subscriber)
