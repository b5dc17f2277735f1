"""Demo content for information sessions and the coordinator's workspace: two upcoming sessions
(the free information session for sex workers, in person in Highland Park and small enough to
have a waitlist; and an online open evening), a few invented registrations with one person
waiting, and a call today and tomorrow (one with a recorded outcome) so the agenda has
something to show. Runs after `seed_consultations`; running it twice changes nothing."""

from datetime import datetime, time, timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from consultations.models import Consultation, Coordinator, InfoSession, SessionRegistration
from kindman.timezones import PRACTICE_TZ

SESSIONS = [
    {
        "slug": "therapy-for-sex-workers",
        "title": "Therapy for sex workers: a free information session",
        "audience": "Free information session: therapy for sex workers",
        "description": (
            "An unhurried evening for people in the sex trades, whatever your work looks like. "
            "We'll talk about what affirming therapy is (and isn't), how confidentiality works, "
            "how fees and sliding-scale places work, and how to find a therapist here who gets it.\n\n"
            "Come as you are, use any name you like, and ask anything, out loud or on an "
            "anonymous card. Nobody is asked to share their story. (Demo session.)"
        ),
        "format": InfoSession.Format.IN_PERSON,
        "place": "Kindman & Co., York Boulevard, Highland Park, Los Angeles (demo address)",
        "join_url": "",
        "capacity": 4,
        "days_ahead": 9,
        "start": time(18, 30),
        "minutes": 75,
    },
    {
        "slug": "finding-the-right-therapist-online",
        "title": "Finding the right therapist: an online open evening",
        "audience": "For anyone wondering where to start",
        "description": (
            "A friendly online hour about how therapy works at our practice: who our therapists "
            "are, what a first session is like, in-person and online options across California, "
            "and how the free call with our Care Coordinator helps you choose.\n\n"
            "Cameras optional; you can just listen. (Demo session.)"
        ),
        "format": InfoSession.Format.ONLINE,
        "place": "",
        "join_url": "https://video.example/kindman-demo-open-evening",
        "capacity": 20,
        "days_ahead": 13,
        "start": time(18),
        "minutes": 60,
    },
]

REGISTRATIONS = {
    # slug: [(name, email, pronouns, discreet)] in the order they registered
    "therapy-for-sex-workers": [
        ("Jade (demo)", "jade.demo@example.com", "she/her", True),
        ("River (demo)", "river.demo@example.com", "they/them", False),
        ("Nico (demo)", "nico.demo@example.com", "", True),
        ("Sasha (demo)", "sasha.demo@example.com", "she/they", False),
        ("Lou (demo)", "lou.demo@example.com", "he/him", True),  # the fifth: waitlisted
    ],
    "finding-the-right-therapist-online": [
        ("Morgan B. (demo)", "morgan.demo@example.com", "", False),
        ("Ari (demo)", "ari.demo@example.com", "they/them", False),
    ],
}

AGENDA_CALLS = [
    # phone, name, status, days from today, local time, preferred therapist slug, matched slug
    ("+13235550121", "Dana (demo)", Consultation.Status.CONFIRMED, 0, time(15, 30), "maren-okafor", None),
    ("+13235550122", "Kit (demo)", Consultation.Status.REQUESTED, 1, time(11, 30), "jonah-vey", None),
    ("+13235550123", "Remy (demo)", Consultation.Status.COMPLETED, -1, time(13), "priya-castellanos", "priya-castellanos"),
]  # fmt: skip


class Command(BaseCommand):
    help = "Add demo information sessions, registrations and agenda calls (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        today = timezone.now().astimezone(PRACTICE_TZ).date()
        for spec in SESSIONS:
            session = InfoSession.objects.filter(slug=spec["slug"]).first()
            if session is None:
                starts_at = datetime.combine(
                    today + timedelta(days=spec["days_ahead"]), spec["start"], tzinfo=PRACTICE_TZ
                )
                fields = {
                    k: v for k, v in spec.items() if k not in {"days_ahead", "start", "minutes"}
                }
                session = InfoSession.objects.create(
                    **fields,
                    starts_at=starts_at,
                    ends_at=starts_at + timedelta(minutes=spec["minutes"]),
                )
            self.registrations(session, REGISTRATIONS[spec["slug"]])
        self.agenda_calls(today)
        self.stdout.write("Information session demo content is in place.")

    def registrations(self, session, people):
        now = timezone.now()
        for order, (name, email, pronouns, discreet) in enumerate(people):
            if session.registrations.filter(email=email).exists():
                continue
            taken = session.registrations.registered().count()
            SessionRegistration.objects.create(
                session=session,
                name=name,
                email=email,
                pronouns=pronouns,
                discreet=discreet,
                status="registered" if taken < session.capacity else "waitlisted",
                consent_at=now,
                created_at=now - timedelta(hours=len(people) - order),
            )

    def agenda_calls(self, today):
        from therapists.models import TherapistPage

        coordinator = Coordinator.objects.order_by("pk").first()
        if coordinator is None:
            coordinator = Coordinator.objects.create(name="Rosa Demo (care coordinator, demo)")
        therapists = {page.slug: page for page in TherapistPage.objects.all()}
        for phone, name, status, days, at, preferred, matched in AGENDA_CALLS:
            if Consultation.objects.filter(phone=phone).exists():
                continue
            starts_at = datetime.combine(today + timedelta(days=days), at, tzinfo=PRACTICE_TZ)
            Consultation.objects.create(
                coordinator=coordinator,
                name=name,
                phone=phone,
                status=status,
                starts_at=starts_at,
                ends_at=starts_at + timedelta(minutes=20),
                consent_at=timezone.now(),
                may_text=days == 0,
                discreet=days != 0,
                interest=Consultation.Interest.EITHER,
                state="CA",
                note="Demo booking: invented for the demo site.",
                preferred_therapist=therapists.get(preferred),
                matched_therapist=therapists.get(matched) if matched else None,
                outcome_notes="Demo outcome: first session booked." if matched else "",
            )
