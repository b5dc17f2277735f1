"""Staff editing of consultations: a changed time or coordinator goes through the slot engine."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from wagtail.admin.forms import WagtailAdminModelForm

from kindman.emails import queue_email

from .actions import staff_time_error
from .forms import normalise_phone
from .models import BookingRules, Consultation


class ConsultationAdminForm(WagtailAdminModelForm):
    def clean_phone(self):
        return normalise_phone(self.cleaned_data["phone"])

    def clean(self):
        cleaned = super().clean()
        start = cleaned.get("starts_at")
        coordinator = cleaned.get("coordinator")
        status = cleaned.get("status")
        outcomes = (Consultation.Status.COMPLETED, Consultation.Status.NO_SHOW)
        if status in outcomes and start and start > timezone.now():
            # An outcome before the call would free its time for the public while it still stands.
            self.add_error("status", "A call can be marked completed or missed once it has begun.")
            return cleaned
        if not (start and coordinator and status in Consultation.ACTIVE_STATUSES):
            return cleaned
        moved = {"starts_at", "coordinator", "status"} & set(self.changed_data)
        if self.instance.pk and not moved:
            return cleaned
        error = staff_time_error(self.instance, start=start, coordinator_id=coordinator.pk)
        if error:
            self.add_error("starts_at", error)
        return cleaned

    def save(self, commit=True):
        consultation = super().save(commit=False)
        minutes = BookingRules.load().call_minutes
        consultation.ends_at = consultation.starts_at + timedelta(minutes=minutes)
        moved = bool(self.instance.pk) and "starts_at" in self.changed_data
        if moved:
            consultation.ics_sequence += 1  # the client's link keeps working
        if commit:
            with transaction.atomic():
                consultation.save()
                if moved and consultation.email and consultation.is_active:
                    queue_email(
                        "consultation_rescheduled", consultation, sequence=consultation.ics_sequence
                    )
        return consultation
