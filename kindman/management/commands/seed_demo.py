"""Demo content for `make run`: the site, its home page, demo staff, then each app's own demo
content (`seed_<app>` commands, where an app has one). Running it twice changes nothing."""

import secrets
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand
from django.db import transaction
from wagtail.models import Page, Site

from kindman.models import HomePage, PracticeSettings, StandardPage
from kindman.origin import site_address

# Spanish last: it translates what the others made.
APP_SEEDS = ["seed_therapists", "seed_blog", "seed_consultations", "seed_sessions", "seed_spanish"]

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


HOME_BODY = [
    {
        "type": "services",
        "value": {
            "heading": "How we can help",
            "intro": "Every kind of relationship brings people to us. Here are some of the ways we work.",
            "services": list_items(
                {
                    "title": "Individual therapy",
                    "description": "Weekly sessions, one-to-one, at a pace that suits you.",
                },
                {
                    "title": "Couples and relationships",
                    "description": "For partners of every shape, including premarital counselling.",
                },
                {
                    "title": "Groups",
                    "description": "Small, facilitated groups where you are not the only one.",
                },
                {
                    "title": "For therapists",
                    "description": "Consultation and supervision for clinicians and practice owners.",
                },
            ),
        },
    },
    {
        "type": "specialties",
        "value": {
            "heading": "What we specialise in",
            "specialties": list_items(
                "LGBTQIA+ affirmative therapy",
                "Couples therapy and premarital counselling",
                "Grief and loss",
                "Trauma",
                "Depression and anxiety",
                "Substance use",
                "Mindfulness and embodiment",
                "Support for creatives",
                "Sex work–affirming therapy",
            ),
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
        home = self.home_page()
        self.privacy_page(home)
        logins = self.staff()
        available = get_commands()
        for command in APP_SEEDS:
            if command in available:
                call_command(command, verbosity=options["verbosity"])
        self.stdout.write(self.style.SUCCESS("Demo content is in place."))
        for username, password in logins:
            self.stdout.write(f"  demo login: {username} / {password}")

    def home_page(self) -> HomePage:
        home = HomePage.objects.first()
        if home is None:
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
                    intro="<p>Whoever you love, whatever you do for work, however you got here: you are welcome. We start with a free, unhurried phone call.</p>",
                    body=HOME_BODY,
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
        return home

    def privacy_page(self, home: HomePage) -> None:
        page = StandardPage.objects.filter(slug="privacy").first() or home.add_child(
            instance=StandardPage(
                title="Privacy notice",
                slug="privacy",
                summary="What we collect when you book with us, who sees it and how long we keep it.",
                body=[
                    {
                        "type": "paragraph",
                        "value": "<p>We ask only for what our Care Coordinator needs to call you back. A first name or a name you choose is fine.</p>",
                    },
                    {"type": "heading", "value": {"text": "Who sees what you send", "level": "h2"}},
                    {
                        "type": "paragraph",
                        "value": "<p>Only our Care Coordinators and administrators can see your booking. We never send it to advertisers, analytics companies or any other third party.</p>",
                    },
                    {"type": "heading", "value": {"text": "How long we keep it", "level": "h2"}},
                    {
                        "type": "paragraph",
                        "value": "<p>We erase the personal details of a booking 90 days after the call or session. You can ask us to erase them sooner at any time.</p>",
                    },
                ],
            )
        )
        practice = PracticeSettings.load()
        if practice.privacy_page_id is None:
            practice.privacy_page = page
            practice.save()

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
