"""Demo practice pages: the Notice of Privacy Practices, the telehealth consent, the Good Faith
Estimate notice, the accessibility statement, fees, FAQ and visit pages, and the settings that
link them. Idempotent by slug; pages staff have edited are left alone. The legal text is demo
text written for this site and says so at its top: a template to be reviewed, not advice."""

from datetime import date, time

from django.core.management.base import BaseCommand
from django.db import transaction
from wagtail.models import Page

from kindman.models import (
    AccessibilityPage,
    FAQPage,
    Fee,
    FeesPage,
    GoodFaithEstimatePage,
    HomePage,
    LegalNoticePage,
    OpeningHours,
    PracticeSettings,
    VisitPage,
)


def paragraph(html: str) -> dict:
    return {"type": "paragraph", "value": html}


def heading(text: str) -> dict:
    return {"type": "heading", "value": {"text": text, "level": "h2"}}


TEMPLATE_NOTE = {
    "type": "callout",
    "value": {
        "heading": "A template to be reviewed",
        "text": "<p>This is demo text written for the Kindman & Co. demo site. It is not legal "
        "advice: the practice has it reviewed by its own legal and compliance advisers, and "
        "adapts it, before relying on it.</p>",
    },
}

PRIVACY_NOTICE = {
    "title": "Notice of Privacy Practices",
    "slug": "privacy",
    "summary": "How we use and protect your health information, the choices you have, and how "
    "to reach us about it.",
    "version_label": "2026-01",
    "effective_date": date(2026, 1, 1),
    "body": [
        TEMPLATE_NOTE,
        paragraph(
            "<p>This notice describes how health information about you may be used and "
            "disclosed, and how you can get access to it. Please read it carefully. We're "
            "glad to talk any of it through: call our Care Coordinator.</p>"
        ),
        heading("What this notice covers"),
        paragraph(
            "<p>It covers the information in your therapy record (what you tell us, our notes, "
            "billing and scheduling) and the little you send through this website when you "
            "book a call or register for a session. A first name or a name you choose is "
            "enough to book.</p>"
        ),
        heading("How we use your information"),
        paragraph(
            "<ul><li><b>To care for you:</b> your therapist, and their supervisor if they are "
            "an associate or trainee, use your record to plan and provide therapy.</li>"
            "<li><b>To be paid:</b> we share what an insurer needs only if you ask us to bill "
            "them or give you a superbill.</li>"
            "<li><b>To run the practice:</b> scheduling, quality checks and keeping our "
            "systems secure.</li></ul>"
        ),
        heading("When we share it without asking you"),
        paragraph(
            "<p>Only where the law requires or allows it, for example to prevent serious harm "
            "to you or someone else, to report suspected abuse of a child, elder or dependent "
            "adult, or when a court orders it. We share the least we can.</p>"
        ),
        heading("Your rights"),
        paragraph(
            "<ul><li>See and get a copy of your record.</li>"
            "<li>Ask us to correct it.</li>"
            "<li>Ask us to contact you in a particular way, such as only by text or at a "
            "different address.</li>"
            "<li>Ask us to limit what we share, and get a list of who we shared it with.</li>"
            "<li>Get a copy of this notice on paper at any time.</li>"
            "<li>Complain to us, or to the U.S. Department of Health and Human Services, "
            "without any effect on your care.</li></ul>"
        ),
        heading("This website"),
        paragraph(
            "<p>The site sets no tracking cookies and sends nothing to advertisers or analytics "
            "companies. Only our Care Coordinators and administrators see a booking, and we "
            "erase its personal details 90 days after the call or session, sooner if you "
            "ask.</p>"
        ),
        heading("Questions and changes"),
        paragraph(
            "<p>If we change this notice, the new version is posted here with its date, and "
            "each booking records which version was in force when it was made.</p>"
        ),
    ],
}

TELEHEALTH_CONSENT = {
    "title": "Telehealth consent",
    "slug": "telehealth-consent",
    "summary": "What to expect from therapy by video, its limits, and what we ask of you, "
    "before your first online session.",
    "version_label": "2026-01",
    "effective_date": date(2026, 1, 1),
    "body": [
        TEMPLATE_NOTE,
        paragraph(
            "<p>Many of our clients meet their therapist by video. This page explains what "
            "that involves, so you can decide whether it suits you. Your therapist goes "
            "through it with you, and asks you to agree to it, before your first online "
            "session.</p>"
        ),
        heading("Where you need to be"),
        paragraph(
            "<p>Our therapists are licensed in California, so they can see you online only "
            "while you are physically in California. At the start of each session your "
            "therapist asks where you are, in case they need to send help.</p>"
        ),
        heading("Privacy on both ends"),
        paragraph(
            "<p>We use a video service built for healthcare, on a private connection. On your "
            "side, choose a spot where you won't be overheard, and use your own device rather "
            "than a work one if you can. Neither of us records sessions.</p>"
        ),
        heading("If the connection drops"),
        paragraph(
            "<p>Your therapist calls the number you gave us. If we can't reconnect, we'll "
            "arrange another time at no charge.</p>"
        ),
        heading("When video isn't enough"),
        paragraph(
            "<p>Video can't replace in-person care in a crisis. You and your therapist agree "
            "on a safety plan and a local emergency contact. If you are in danger, call 911; "
            "for support any time, call or text 988.</p>"
        ),
        heading("Your choice"),
        paragraph(
            "<p>You may stop meeting by video at any time, and meet in person in Highland "
            "Park instead where your therapist offers it.</p>"
        ),
    ],
}

GOOD_FAITH_ESTIMATE = {
    "title": "Your right to a Good Faith Estimate",
    "slug": "good-faith-estimate",
    "summary": "If you don't use insurance, you can ask us in advance for an estimate of what "
    "your care is expected to cost.",
    "body": [
        TEMPLATE_NOTE,
        paragraph(
            "<p>Under the federal No Surprises Act, people who are uninsured, or who choose "
            "not to use their insurance, have the right to a Good Faith Estimate of the "
            "expected charges for their care.</p>"
        ),
        heading("What you'll get"),
        paragraph(
            "<p>A written estimate of the fees we expect to charge, based on how often we "
            "expect to meet and the fee that applies to you. We send it within three business "
            "days of your request, and before your first session if you book one.</p>"
        ),
        heading("If your bill is higher"),
        paragraph(
            "<p>If you are billed $400 or more above your estimate, you may dispute the bill. "
            "Keep a copy of the estimate. For questions or more information about your right "
            "to a Good Faith Estimate, visit www.cms.gov/nosurprises.</p>"
        ),
    ],
}

ACCESSIBILITY = {
    "title": "Accessibility",
    "slug": "accessibility",
    "summary": "We want everyone to be able to find us, read about us and book with us. Here is "
    "how we work towards that, what we know still falls short, and how to tell us.",
    "standard": "WCAG 2.2 level AA",
    "last_reviewed": date(2026, 1, 1),
    "body": [
        TEMPLATE_NOTE,
        heading("What we aim for"),
        paragraph(
            "<p>This site aims to meet the Web Content Accessibility Guidelines (WCAG) 2.2 at "
            "level AA. Every page works without JavaScript, can be used with a keyboard "
            "alone, and reflows on a phone or when zoomed to 400%.</p>"
        ),
        heading("How we test"),
        paragraph(
            "<ul><li>Each change is checked automatically with axe on the pages people use "
            "most, including the booking form.</li>"
            "<li>We book a call using only the keyboard, and with a screen reader "
            "(VoiceOver and NVDA), before larger changes go live.</li>"
            "<li>We check colour contrast and text sizes in the design itself.</li></ul>"
        ),
        heading("Known limits"),
        paragraph(
            "<ul><li>Some older blog posts have images whose descriptions could be more "
            "helpful. We're rewriting them.</li>"
            "<li>Calendar invites open in your own calendar app, whose accessibility we "
            "can't control.</li>"
            "<li>The video service used for online sessions is made by another company; "
            "tell us if it doesn't work for you and we'll find another way.</li></ul>"
        ),
    ],
}

FEES = {
    "title": "Fees and insurance",
    "slug": "fees",
    "summary": "What sessions cost, how the sliding scale works, our cancellation policy, and "
    "how to use out-of-network insurance benefits.",
    "sliding_scale": "<p>Some of our sessions are offered on a sliding scale, for people whose "
    "income or circumstances make the full fee hard to manage. You don't need to prove "
    "anything: tell our Care Coordinator what you can afford and we'll find a fee that works "
    "for you and for the practice. Sliding-scale places are limited, and are kept for people "
    "who need them most.</p>",
    "cancellation_policy": "<p>If you need to cancel or move a session, please tell us at "
    "least 48 hours ahead: there's no charge. With less notice we charge the full session "
    "fee, because the time was kept for you. Illness and emergencies happen; talk to your "
    "therapist, who can waive the charge.</p>",
    "in_network_plans": "",
    "insurance": "<p>We don't bill insurance companies directly. Many plans still pay back part "
    "of the cost of therapy with an out-of-network therapist.</p>"
    "<p><b>What's a superbill?</b> A receipt with the details your insurer needs: our "
    "license numbers, the dates of your sessions, what you paid, and the service and "
    "diagnosis codes. We give you one each month; you send it to your plan, and it pays "
    "you back directly.</p>"
    "<p>Before you start, ask your plan whether you have out-of-network mental health "
    "benefits, how much of your deductible is left, and what share of each session it pays "
    "back.</p>",
    "estimator_intro": "Put in what your plan told you. We use it only to do the sums on this "
    "page: nothing is stored.",
}

FEE_ROWS = [
    ("Licensed therapist", "50-minute individual session", "190.00", ""),
    ("Licensed therapist", "80-minute couples session", "230.00", ""),
    ("Associate therapist", "50-minute individual session", "120.00", "Sliding scale available"),
    ("Graduate trainee", "50-minute individual session", "40.00", "Low-fee sessions"),
    ("Any clinician", "90-minute group session", "45.00", "Per person"),
]

FAQ = {
    "title": "Questions and answers",
    "slug": "faq",
    "summary": "Answers to what people most often ask us before they start: booking, fees, "
    "privacy and what therapy here is like.",
    "body": [
        {
            "type": "group",
            "value": {
                "heading": "Getting started",
                "questions": [
                    {
                        "question": "How do I start?",
                        "answer": "<p>Book a free 20-minute call. Our Care Coordinator "
                        "listens to what you're looking for and suggests a therapist who "
                        "fits.</p>",
                    },
                    {
                        "question": "Do I need a referral or a diagnosis?",
                        "answer": "<p>No. You're welcome to come to us directly, whatever "
                        "brings you.</p>",
                    },
                    {
                        "question": "Can I use a name other than my legal name?",
                        "answer": "<p>Yes, to book and to talk with us. We'll need your legal "
                        "name only for a superbill or an insurance form.</p>",
                    },
                ],
            },
        },
        {
            "type": "group",
            "value": {
                "heading": "Fees and insurance",
                "questions": [
                    {
                        "question": "Do you take insurance?",
                        "answer": "<p>We're out of network. We give you a superbill so your "
                        "plan can pay you back, if it covers out-of-network care.</p>",
                    },
                    {
                        "question": "Is there a sliding scale?",
                        "answer": "<p>Yes, with some of our associates and trainees. Ask our "
                        "Care Coordinator on your free call.</p>",
                    },
                    {
                        "question": "What is a Good Faith Estimate?",
                        "answer": "<p>If you pay for therapy yourself, you can ask us for a "
                        "written estimate of the expected cost before you start. Tick the box "
                        "when you book, or ask us any time.</p>",
                    },
                ],
            },
        },
        {
            "type": "group",
            "value": {
                "heading": "Privacy and safety",
                "questions": [
                    {
                        "question": "Will anyone know I called a therapist?",
                        "answer": "<p>Only if you want them to. When you book you choose "
                        "whether we leave voicemails, send texts or say our name, and whether "
                        "emails and calendar invites stay neutral.</p>",
                    },
                    {
                        "question": "Can I see someone online if I'm outside California?",
                        "answer": "<p>Our therapists are licensed in California, so they can "
                        "see you only while you're in California. We're happy to help you "
                        "look for care where you are.</p>",
                    },
                ],
            },
        },
    ],
}

VISIT = {
    "title": "Visit us",
    "slug": "visit",
    "summary": "How to find our Highland Park office by Metro, bus or car, the step-free way "
    "in, and what you need for a session online.",
    "entrance": "<p>We're on the first floor of a small office building in Highland Park. The "
    "main door is on the street; press the buzzer marked “Kindman” and we'll let you in. There "
    "is no sign with our name on the street, on purpose.</p>",
    "metro": "<p>Take the Metro A Line to Highland Park station. From the platform it's about a "
    "seven-minute walk on level pavement; the station has elevators to the street.</p>",
    "bus": "<p>Several local bus lines stop along Figueroa Street and York Boulevard, a few "
    "minutes' walk away. Metro's trip planner shows the best one from where you are.</p>",
    "parking": "<p>There's metered street parking nearby, free after 8 pm and on Sundays. A "
    "public lot a block away has two accessible bays. Bicycles can come inside.</p>",
    "accessibility": "<p>The way in is step-free: a ramp beside the front steps leads to the "
    "door, which is 36 inches wide. Our rooms and a gender-neutral restroom are on the same "
    "floor, with no steps. Chairs with and without arms are in every room. Tell us what else "
    "would help and we'll have it ready.</p>",
    "online_sessions": "<p>You need a phone, tablet or computer with a camera, a steady "
    "internet connection and a private place to talk. There's nothing to install: you join "
    "from a link we send you. You must be in California during the session.</p>",
    "latitude": "34.111500",
    "longitude": "-118.192400",
}

HOURS = [(day, time(9), time(20)) for day in range(5)] + [(5, time(10), time(14))]


class Command(BaseCommand):
    help = "Load the demo practice pages and link them (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        home = HomePage.objects.first() or Page.get_first_root_node()
        privacy = self.page(home, LegalNoticePage, PRIVACY_NOTICE)
        telehealth = self.page(home, LegalNoticePage, TELEHEALTH_CONSENT)
        self.page(home, GoodFaithEstimatePage, GOOD_FAITH_ESTIMATE)
        self.page(home, AccessibilityPage, ACCESSIBILITY)
        self.page(
            home,
            FeesPage,
            FEES,
            fees=[
                Fee(clinician_level=level, session=session, amount=amount, note=note)
                for level, session, amount, note in FEE_ROWS
            ],
        )
        self.page(home, FAQPage, FAQ)
        self.page(
            home,
            VisitPage,
            VISIT,
            opening_hours=[OpeningHours(weekday=d, opens=o, closes=c) for d, o, c in HOURS],
        )
        self.link(privacy, telehealth)
        if options["verbosity"]:
            self.stdout.write("Practice pages in place.")

    def page(self, home, model, data: dict, **children):
        existing = model.objects.filter(slug=data["slug"]).first()
        if existing is not None:
            return existing
        if model.max_count and model.objects.exists():
            return model.objects.first()
        # An earlier demo's plain privacy page may hold the slug: the notice takes another.
        slug = data["slug"]
        if home.get_children().filter(slug=slug).exists():
            slug = f"{slug}-notice"
        page = model(**{**data, "slug": slug})
        for name, rows in children.items():
            getattr(page, name).set(rows)
        home.add_child(instance=page)
        page.save_revision().publish()
        return page

    def link(self, privacy: LegalNoticePage, telehealth: LegalNoticePage) -> None:
        practice = PracticeSettings.load()
        current = practice.privacy_page.specific if practice.privacy_page_id else None
        if not isinstance(current, LegalNoticePage):
            practice.privacy_page = privacy
        if practice.telehealth_consent_page_id is None:
            practice.telehealth_consent_page = telehealth
        practice.save()
