"""Demo content for `make run`: the site, its home page and practice pages (notices, fees, FAQ,
visit), demo staff, then each app's own demo content (`seed_<app>` commands, where an app has
one). Running it twice changes nothing."""

import secrets
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand
from django.db import transaction
from wagtail.models import Page, Site

from kindman.demo_art import landscape, save_image
from kindman.models import HomePage
from kindman.origin import site_address

APP_SEEDS = ["seed_therapists", "seed_blog", "seed_consultations", "seed_sessions"]

DEMO_STAFF = [
    # username, first name, group (None: superuser)
    ("demo-admin", "Demo Administrator", None),
    ("demo-editor", "Demo Editor", "Editors"),
    ("demo-coordinator", "Demo Care Coordinator", "Care coordinators"),
]


def list_items(*values) -> list[dict]:
    """List block items in Wagtail's stored form, with the ids wagtail-localize uses to keep
    each item's translation."""
    return [{"type": "item", "value": value, "id": str(uuid.uuid4())} for value in values]


HOME_STEPS = {
    "heading": "How it works",
    "intro": "Three unhurried steps. You can pause at any of them.",
    "steps": list_items(
        {
            "title": "A free 20-minute call",
            "text": "Our Care Coordinator calls you at a time you choose. Share as much or as little as you like.",
        },
        {
            "title": "A match that fits",
            "text": "We suggest a therapist who suits what you're looking for, your week and your budget.",
        },
        {
            "title": "Your first session",
            "text": "Meet in Highland Park or online. If it doesn't feel right, we'll help you find someone who does.",
        },
    ),
    "action": {"label": "Book your free call", "page": None, "booking": "consultations:book"},
}

HOME_SPECIALTIES = [
    "lgbtqia-affirmative-therapy",
    "couples-therapy-and-premarital-counselling",
    "grief-and-loss",
    "trauma",
    "depression-and-anxiety",
    "substance-use",
    "mindfulness-and-embodiment",
    "support-for-creatives",
    "sex-work-affirming-therapy",
]

HOME_FEES = {
    "heading": "Fees at a glance",
    "text": "<p>Each therapist sets a fee within these ranges. Trainees and associates offer lower fees, and some of us keep sliding-scale places open. You'll know the exact fee before your first session.</p>",
    "fees": list_items(
        {"label": "Individual session, 50 minutes", "amount": "$120–$190"},
        {"label": "Couples session, 80 minutes", "amount": "$230"},
        {"label": "Low-fee sessions with a trainee", "amount": "from $40"},
        {"label": "Groups", "amount": "$45 a session"},
    ),
    "page": None,
    "link_label": "Fees, insurance and the sliding scale",
}


def home_body() -> list:
    """The demo home page's sections, in the order a visitor needs them."""
    from therapists.models import Specialty

    specialties = dict(
        Specialty.objects.filter(slug__in=HOME_SPECIALTIES).values_list("slug", "pk")
    )
    return [
        {"type": "how_it_works", "value": HOME_STEPS},
        {
            "type": "therapists",
            "value": {
                "heading": "Meet our therapists",
                "intro": "Licensed clinicians, associates and trainees: all of us work relationally, and nobody will ask you to justify who you are.",
                "therapists": [],
                "count": 4,
            },
        },
        {
            "type": "specialties",
            "value": {
                "heading": "What we specialise in",
                "intro": "Choose one to see the therapists who focus on it.",
                "specialties": [
                    specialties[slug] for slug in HOME_SPECIALTIES if slug in specialties
                ],
            },
        },
        {"type": "fees", "value": HOME_FEES},
        {"type": "latest_posts", "value": {"heading": "From our blog", "count": 3}},
        {
            "type": "sessions",
            "value": {
                "heading": "Free information sessions",
                "intro": "Meet us, hear how therapy here works and ask anything. Keeping your camera off is fine.",
                "count": 3,
            },
        },
        {
            "type": "call_to_action",
            "value": {
                "heading": "Start with a free 20-minute call",
                "text": "Our Care Coordinator listens, answers your questions and helps you find the right therapist. No pressure, no commitment.",
                "button_label": "Book a free call",
                "page": None,
                "booking": "consultations:book",
            },
        },
    ]


class Command(BaseCommand):
    help = "Load demo content (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        home, created = self.home_page()
        call_command("seed_practice_pages", verbosity=options["verbosity"])
        logins = self.staff()
        available = get_commands()
        for command in APP_SEEDS:
            if command in available:
                call_command(command, verbosity=options["verbosity"])
        if created:
            # Its sections show the therapists, posts and sessions the app seeds just made. The
            # page is read again: saving the copy from before they were added would undo them
            # in the page tree (numchild).
            home = HomePage.objects.get(pk=home.pk)
            home.body = home_body()
            home.save_revision().publish()
        # Last: it translates what the rest made.
        call_command("seed_spanish", verbosity=options["verbosity"])
        self.stdout.write(self.style.SUCCESS("Demo content is in place."))
        for username, password in logins:
            self.stdout.write(f"  demo login: {username} / {password}")

    def home_page(self) -> tuple[HomePage, bool]:
        home = HomePage.objects.first()
        created = home is None
        if created:
            root = Page.get_first_root_node()
            # Wagtail's migrations leave a "Welcome" placeholder at /home/; ours takes its place.
            for placeholder in root.get_children().filter(slug="home"):
                if placeholder.specific_class is Page:
                    placeholder.delete()
            home = root.add_child(
                instance=HomePage(
                    title="Home",
                    slug="home",
                    seo_title="Kindman & Co. — relational therapy in Highland Park and online",
                    search_description="Relational therapy for individuals, couples and groups in Highland Park, Los Angeles, and online across California.",
                    hero_heading="Therapy that meets you where you are",
                    hero_text="We are a relational therapy practice in Highland Park, Los Angeles, seeing people in person and online across California.",
                    hero_image=save_image(
                        landscape(), "Hills at sunrise (demo picture)", "demo-home-hills.jpg"
                    ),
                    hero_action_label="Book a free 20-minute call",
                    hero_action_booking="consultations:book",
                    hero_note="Free and confidential, with no commitment.",
                    intro="<p>Whoever you love, whatever you do for work, however you got here: you are welcome. We start with a free, unhurried phone call.</p>",
                )
            )
        Site.objects.update_or_create(
            is_default_site=True,
            # At the public origin, so Wagtail's page URLs agree with every other absolute URL.
            defaults={
                **site_address(),
                "root_page": home,
                "site_name": "Kindman & Co.",
            },
        )
        return home, created

    def staff(self) -> list[tuple[str, str]]:
        store = Path(settings.DEMO_LOGINS_FILE)
        known = {}
        if store.exists():
            known = dict(
                line.split(" ", 1) for line in store.read_text().splitlines() if " " in line
            )
        logins = []
        for username, full_name, group_name in DEMO_STAFF:
            user = User.objects.filter(username=username).first()
            if user is None:
                password = secrets.token_urlsafe(12)
                user = User.objects.create_user(
                    username=username,
                    email=f"{username}@kindman.example",
                    password=password,
                    first_name=full_name,
                    last_name="(demo)",
                    is_staff=group_name is None,
                    is_superuser=group_name is None,
                )
                known[username] = password
            if group_name:
                user.groups.add(Group.objects.get(name=group_name))
            logins.append((username, known.get(username, "(password set earlier, unchanged)")))
        store.parent.mkdir(parents=True, exist_ok=True)
        store.write_text("".join(f"{u} {p}\n" for u, p in known.items()))
        store.chmod(0o600)
        return logins
