"""Demo content for the therapist directory: the taxonomies, the index at /therapists/ and four
invented therapists with illustrated portraits. Idempotent by slug: running it twice changes nothing,
and pages staff have edited are left alone."""

from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction
from wagtail.models import Page

from kindman.models import HomePage
from therapists.factories import build_portrait
from therapists.models import Language, Modality, Specialty, TherapistIndexPage, TherapistPage

# The migration's lists, so a flushed database (browser tests, `flush`) gets the same taxonomies.
SEED = import_module("therapists.migrations.0003_seed_taxonomies_and_editor_permissions")

DEMO_NOTE = "<p><em>Demo profile: this person is invented for the Kindman & Co. demo site.</em></p>"

INDEX = {
    "title": "Our therapists",
    "slug": "therapists",
    "seo_title": "Our therapists — Kindman & Co.",
    "search_description": "Meet the therapists at Kindman & Co. in Highland Park and online: filter by specialty, who they work with, language, fees and availability.",
    "intro": "<p>Every one of us works relationally: the relationship between you and your therapist is where change begins. Filter by what matters to you, or book a free call and our Care Coordinator will help you choose.</p>",
}

# Licensed therapists first: trainees and associates name their supervisor.
THERAPISTS = [
    {
        "slug": "daniel-reyes-whitlock",
        "title": "Daniel Reyes-Whitlock",
        "pronouns": "he/him",
        "role": "Licensed Marriage and Family Therapist",
        "credentials": "LMFT",
        "licence_status": TherapistPage.LicenceStatus.LICENSED,
        "licence_type": "LMFT",
        "licence_number": "LMFT 000412 (demo)",
        "short_bio": "Daniel works with couples and with LGBTQIA+ people who want their relationships to feel less like a negotiation and more like a home. He also supervises the practice's trainees and associates.",
        "long_bio": (
            "<p>Most couples who come to Daniel are not short of love. They are short of ways to "
            "stay connected when the same argument comes round for the fortieth time. Together "
            "you slow that argument down until you can see the longing underneath it, and then "
            "practise reaching for each other differently.</p>"
            "<p>Daniel has spent much of his career with queer and trans clients and with "
            "partners in open, polyamorous and otherwise non-traditional relationships. You will "
            "not have to explain your family structure or defend it. He also offers premarital "
            "counselling for couples who want to talk through money, sex, faith and family "
            "before the wedding rather than after.</p>"
            "<p>Outside the therapy room Daniel supervises Kindman & Co.'s trainees and "
            "associates, and offers consultation to therapists building affirming practices of "
            "their own.</p>"
        ),
        "specialties": [
            "couples-therapy-and-premarital-counselling",
            "lgbtqia-affirmative-therapy",
            "consultation-and-supervision-for-therapists",
        ],
        "modalities": ["emotionally-focused-therapy", "relational-therapy"],
        "languages": ["english", "spanish"],
        "affirming_identities": "Queer and trans people, polyamorous and non-monogamous relationships",
        "works_with_individuals": True,
        "works_with_couples": True,
        "age_ranges": "Adults 18+",
        "offers_in_person": True,
        "offers_online": True,
        "accepting_new_clients": True,
        "sliding_scale": False,
        "fee_note": "$190 for a 50-minute session; $230 for an 80-minute couples session.",
        "portrait": {
            "background": "#d8e4dc",
            "skin": "#a8704c",
            "hair": "#1c1a1a",
            "clothes": "#1f4d3f",
            "style": "short",
        },
    },
    {
        "slug": "priya-castellanos",
        "title": "Priya Castellanos",
        "pronouns": "she/they",
        "role": "Licensed Clinical Social Worker",
        "credentials": "LCSW",
        "licence_status": TherapistPage.LicenceStatus.LICENSED,
        "licence_type": "LCSW",
        "licence_number": "LCSW 000871 (demo)",
        "short_bio": "Priya helps people carry grief and trauma without being flattened by them, using mindfulness and attention to the body as well as talk.",
        "long_bio": (
            "<p>Grief does not keep to a timetable, and trauma rarely stays in the past where it "
            "belongs. Priya meets people in the middle of both: after a death, a diagnosis, an "
            "estrangement, or an experience that still lives in the body years later.</p>"
            "<p>Sessions with Priya move between talking and noticing. You might spend part of an "
            "hour with a memory and part of it learning how your breath and shoulders respond to "
            "it, so you can find your way back to steady ground on your own. She uses EMDR "
            "when it fits and never rushes it.</p>"
            "<p>Priya also facilitates the practice's seasonal grief group, a small circle where "
            "loss can be spoken about plainly.</p>"
        ),
        "specialties": [
            "grief-and-loss",
            "trauma",
            "mindfulness-and-embodiment",
            "depression-and-anxiety",
            "womens-issues",
        ],
        "modalities": ["emdr", "somatic-therapy", "relational-therapy"],
        "languages": ["english", "spanish"],
        "affirming_identities": "Queer and trans people, people of colour, chronically ill and disabled people",
        "works_with_individuals": True,
        "works_with_groups": True,
        "age_ranges": "Adults 18+",
        "offers_in_person": True,
        "offers_online": True,
        "accepting_new_clients": False,
        "sliding_scale": True,
        "fee_note": "$175 for a 50-minute session.",
        "portrait": {
            "background": "#efe2d6",
            "skin": "#c68b63",
            "hair": "#2b1d16",
            "clothes": "#8a3620",
            "style": "long",
        },
    },
    {
        "slug": "maren-okafor",
        "title": "Maren Okafor",
        "pronouns": "she/her",
        "role": "Graduate Student Trainee Therapist",
        "credentials": "MA candidate",
        "licence_status": TherapistPage.LicenceStatus.TRAINEE,
        "licence_number": "",
        "supervisor": "daniel-reyes-whitlock",
        "short_bio": "Maren offers sex work–affirming, nonjudgemental therapy for people in the industry and everyone else who is tired of explaining themselves. Low-fee sessions.",
        "long_bio": (
            "<p>If you work in the sex industry, you may have learned to edit yourself in "
            "doctors' offices, at family dinners and in therapy. With Maren you do not have to. "
            "Your work is not treated as the problem to be solved, and you decide what we talk "
            "about: burnout, boundaries with clients, a breakup, money, a difficult parent, or "
            "something that has nothing to do with work at all.</p>"
            "<p>Maren also sees people working through anxiety, low mood and questions of "
            "identity, and she welcomes queer and trans clients. She draws on narrative and "
            "relational approaches: together you notice the stories you have been handed about "
            "yourself and decide which ones still fit.</p>"
            "<p>Maren is a graduate student trainee completing her clinical hours at "
            "Kindman & Co. under the supervision of a licensed therapist, which is why her "
            "sessions are offered at a reduced fee.</p>"
        ),
        "specialties": [
            "sex-work-affirming-therapy",
            "depression-and-anxiety",
            "lgbtqia-affirmative-therapy",
            "womens-issues",
        ],
        "modalities": ["narrative-therapy", "relational-therapy", "harm-reduction"],
        "languages": ["english"],
        "affirming_identities": "Sex workers and people in the adult industry, queer and trans people",
        "works_with_individuals": True,
        "age_ranges": "Adults 18+",
        "offers_in_person": True,
        "offers_online": True,
        "accepting_new_clients": True,
        "sliding_scale": True,
        "fee_note": "Low-fee sessions from $40.",
        "portrait": {
            "background": "#e4dcef",
            "skin": "#6b4530",
            "hair": "#1c1a1a",
            "clothes": "#3f7f86",
            "style": "curls",
        },
    },
    {
        "slug": "jonah-vey",
        "title": "Jonah Vey",
        "pronouns": "they/them",
        "role": "Associate Marriage and Family Therapist",
        "credentials": "AMFT",
        "licence_status": TherapistPage.LicenceStatus.ASSOCIATE,
        "licence_type": "AMFT",
        "licence_number": "AMFT 000297 (demo)",
        "employed_by_practice": True,
        "supervisor": "daniel-reyes-whitlock",
        "short_bio": "Jonah works with artists, musicians and other creatives, and with people changing their relationship with alcohol and drugs. They also run the practice's groups.",
        "long_bio": (
            "<p>Creative work asks you to be open and then hands you rejection for it, often on "
            "an irregular income and at odd hours. Jonah works with writers, musicians, actors, "
            "designers and anyone else whose work and sense of self are tangled up together.</p>"
            "<p>Many of Jonah's clients are also rethinking their use of alcohol or other drugs. "
            "Jonah takes a harm-reduction approach: whether you want to stop, cut down or simply "
            "understand your use better, the goal is yours to set.</p>"
            "<p>Jonah leads the practice's groups, including a weekly group for creatives and a "
            "group for people in early recovery. Groups are a chance to be witnessed by people "
            "who know the terrain.</p>"
        ),
        "specialties": ["support-for-creatives", "substance-use", "group-therapy"],
        "modalities": ["harm-reduction", "internal-family-systems", "relational-therapy"],
        "languages": ["english", "american-sign-language"],
        "affirming_identities": "Trans and nonbinary people, people in recovery, neurodivergent people",
        "works_with_individuals": True,
        "works_with_groups": True,
        "age_ranges": "Adults 18+ and young adults 16–17 with a parent's consent",
        "offers_in_person": True,
        "offers_online": False,
        "accepting_new_clients": True,
        "sliding_scale": True,
        "fee_note": "$120 for individual sessions; groups $45 a session.",
        "portrait": {
            "background": "#f3e8c8",
            "skin": "#f0c9a8",
            "hair": "#7a4b2a",
            "clothes": "#5b4a6b",
            "style": "bun",
        },
    },
]


class Command(BaseCommand):
    help = "Load the demo therapist directory (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        self.taxonomies()
        index = self.index()
        created = [self.therapist(index, data) for data in THERAPISTS]
        if options["verbosity"]:
            count = sum(created)
            self.stdout.write(f"Therapist directory in place ({count} demo therapists added).")

    def taxonomies(self) -> None:
        for model, items in (
            (Specialty, SEED.SPECIALTIES),
            (Modality, SEED.MODALITIES),
            (Language, SEED.LANGUAGES),
        ):
            for slug, name in items:
                model.objects.get_or_create(slug=slug, defaults={"name": name})

    def index(self) -> TherapistIndexPage:
        index = TherapistIndexPage.objects.first()
        if index is None:
            home = HomePage.objects.first() or Page.get_first_root_node()
            index = home.add_child(instance=TherapistIndexPage(**INDEX))
        return index

    def therapist(self, index: TherapistIndexPage, data: dict) -> bool:
        if TherapistPage.objects.filter(slug=data["slug"]).exists():
            return False
        data = dict(data)
        portrait = data.pop("portrait")
        taxonomies = {
            "specialties": (Specialty, data.pop("specialties")),
            "modalities": (Modality, data.pop("modalities")),
            "languages": (Language, data.pop("languages")),
        }
        supervisor_slug = data.pop("supervisor", None)
        page = TherapistPage(**data)
        page.long_bio = data["long_bio"] + DEMO_NOTE
        page.photo = build_portrait(data["title"], **portrait)
        page.photo_alt = (
            f"Illustrated demo portrait standing in for a photo of {data['title']}: a figure "
            "without a face in an arched window."
        )
        if supervisor_slug:
            page.supervisor = TherapistPage.objects.get(slug=supervisor_slug)
        for field, (model, slugs) in taxonomies.items():
            getattr(page, field).set(list(model.objects.filter(slug__in=slugs)))
        index.add_child(instance=page)
        page.save_revision().publish()
        return True
