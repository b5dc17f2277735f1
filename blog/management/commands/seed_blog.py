"""Demo blog: the index at /blog/ and three posts with original prose and pictures drawn in code.
Authors are the demo therapists, looked up by slug. Running it twice changes nothing."""

import datetime

from django.core.management.base import BaseCommand
from django.db import transaction

from blog.factories import build_blog_index, build_image, build_post, demo_therapist, paragraph
from blog.models import BlogPage

# Used only when the therapist directory has not been seeded (see therapists' seed_therapists).
FALLBACK_AUTHORS = {
    "maren-okafor": {
        "title": "Maren Okafor",
        "pronouns": "she/her",
        "role": "Graduate Student Trainee Therapist",
        "short_bio": "Maren (a demo therapist) offers sex work–affirming therapy, without judgement.",
    },
    "daniel-reyes-whitlock": {
        "title": "Daniel Reyes-Whitlock",
        "pronouns": "he/him",
        "role": "Licensed Marriage and Family Therapist (LMFT)",
        "short_bio": "Daniel (a demo therapist) works with couples and LGBTQIA+ clients.",
    },
    "jonah-vey": {
        "title": "Jonah Vey",
        "pronouns": "they/them",
        "role": "Associate Marriage and Family Therapist",
        "short_bio": "Jonah (a demo therapist) works with creatives, substance use and groups.",
    },
}


def bullets(*items: str) -> dict:
    return {
        "type": "paragraph",
        "value": "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>",
    }


def heading(text: str, level: str = "h2") -> dict:
    return {"type": "heading", "value": {"text": text, "level": level}}


def quote(text: str, attribution: str = "") -> dict:
    return {"type": "quote", "value": {"quote": text, "attribution": attribution}}


def call_to_action(heading: str, text: str, label: str, booking: str) -> dict:
    return {
        "type": "call_to_action",
        "value": {
            "heading": heading,
            "text": text,
            "button_label": label,
            "page": None,
            "booking": booking,
        },
    }


POSTS = [
    {
        "slug": "on-extra-innings-in-an-extra-disconnected-world",
        "title": "On Extra Innings in an Extra-Disconnected World",
        "date": datetime.date(2026, 9, 18),
        "author": "jonah-vey",
        "tags": ["Connection", "Loneliness", "Community"],
        "summary": "A ballgame that would not end, a row of strangers who stayed, and what it taught "
        "us about building belonging when so much of life happens alone on a screen.",
        "hero_art": "bokeh",
        "hero_alt": "Blurred circles of gold, rose and sage on a dusk sky, like a crowd seen "
        "through stadium lights",
        "body": [
            paragraph(
                "The game was supposed to be over by ten. By the fourteenth inning the "
                "hot-dog stands had shuttered, half the seats were empty, and the people who "
                "remained had quietly become something like a team of their own: passing "
                "sunflower seeds down the row, groaning together at every pop fly."
            ),
            heading("Why the long game felt so good"),
            paragraph(
                "Nobody in that row had planned to spend the night together. What held them "
                "was shared attention and a shared stake, two ingredients that are surprisingly "
                "scarce in a week lived mostly through notifications. Many of the people we see "
                "in therapy describe a loneliness that is not about being alone, but about "
                "rarely being <em>with</em> anyone in a moment that matters to both of you."
            ),
            quote("Belonging is less a place you find than a practice you return to."),
            heading("Small practices for a disconnected season"),
            bullets(
                "Pick one recurring thing (a pickup game, a choir, a Sunday market) and show "
                "up to it more than feels necessary.",
                "Let conversations run into extra innings: ask the second question.",
                "Notice when scrolling is standing in for reaching out, and send the text instead.",
            ),
            heading("When the innings keep stretching"),
            paragraph(
                "If disconnection has started to feel permanent, it can help to talk it "
                "through with someone whose job is to stay for the whole game. Our groups "
                "exist for exactly that reason."
            ),
            call_to_action(
                "Talk it through with us",
                "A free, unhurried 20-minute call with our Care Coordinator.",
                "Book a free call",
                "consultations:book",
            ),
        ],
    },
    {
        "slug": "on-sex-work-therapy",
        "title": "On Sex Work & Therapy",
        "date": datetime.date(2026, 10, 9),
        "author": "maren-okafor",
        "tags": ["Sex work", "Stigma", "Relational therapy"],
        "summary": "Sex workers deserve therapy that starts from respect, not rescue. What "
        "nonjudgemental, relational care can look like, and questions to bring to it.",
        "hero_art": "two_shapes",
        "hero_alt": "Two soft arches side by side in muted rose and deep green under a small "
        "golden sun, suggesting a calm, judgement-free space",
        "body": [
            heading("Care without conditions"),
            paragraph(
                "Sex workers often arrive at a therapist’s door already braced for a lecture. "
                "The worry is understandable: too many have been met with pity, suspicion or a "
                "plan to get them out of the industry that nobody asked for. That is not care. "
                "Care begins by believing people about their own lives."
            ),
            paragraph(
                "People do sex work for as many reasons as people do any work: rent, "
                "flexibility, independence, creativity, curiosity, pleasure, or all of these on "
                "different days. None of those reasons needs defending in the therapy room."
            ),
            heading("Looking past the stereotypes"),
            paragraph(
                "The public picture of sex work tends to come in two flat versions, victim or "
                "villain. Real lives are rounder than that. Someone can feel proud of their "
                "skills and worn out by a difficult client in the same afternoon, and both "
                "feelings deserve room."
            ),
            quote("You are the expert on your own life. Therapy should start there."),
            heading("Relationship, not rescue"),
            paragraph(
                "In relational therapy, the relationship between you and your therapist is "
                "part of the work. A good therapist notices their own assumptions and says "
                "them out loud, so that stigma does not sit unspoken in the room. If something "
                "they say lands badly, that becomes something to talk about together rather "
                "than a reason to stop coming."
            ),
            paragraph(
                "It also means your boundaries are respected: what you share, how fast, and "
                "what you want therapy to be for. The goals are yours to set."
            ),
            heading("Questions worth bringing"),
            paragraph(
                "Healing does not require changing jobs or becoming someone else. It often "
                "starts with questions like these:"
            ),
            bullets(
                "Where do I feel most at ease, at work and away from it?",
                "Who in my life knows the whole of me, and who could?",
                "Which of my boundaries are holding well, and which need tending?",
                "What would rest look like this month?",
            ),
            heading("A place for all of you"),
            paragraph(
                "Whether sex work is a short chapter or your long-term career, whether you love "
                "it, tolerate it or are still deciding, you deserve a therapist who can hold the "
                "full story. Our team includes therapists who will never ask you to justify how "
                "you earn a living."
            ),
            call_to_action(
                "Join a free information session",
                "Learn how sex work–affirming therapy works at Kindman & Co., ask questions "
                "anonymously, and decide in your own time.",
                "See information sessions",
                "consultations:session_list",
            ),
        ],
    },
    {
        "slug": "on-why-relational-therapy-matters-more-than-ever",
        "title": "On Why Relational Therapy Matters More Than Ever",
        "date": datetime.date(2026, 10, 30),
        "author": "daniel-reyes-whitlock",
        "tags": ["Relational therapy", "Connection", "Couples"],
        "summary": "Quick fixes promise a lot. Why the steady, honest relationship between "
        "client and therapist is still one of the most reliable ways people change.",
        "hero_art": "rings",
        "hero_alt": "Interlocking rings of teal and amber on a cream background, suggesting "
        "two people in conversation",
        "body": [
            paragraph(
                "There has never been more advice about how to feel better, and much of it is "
                "delivered by someone, or something, that will never know your name. Relational "
                "therapy takes the opposite bet: that change happens between people."
            ),
            heading("What makes therapy relational"),
            paragraph(
                "Relational therapists pay attention to what happens in the room: the moments "
                "of ease, the misunderstandings, the times you hold back. These are not "
                "distractions from the work. They are often the work, because they echo the "
                "patterns in your other relationships."
            ),
            heading("Why now", "h2"),
            paragraph(
                "Many of us spend our days in exchanges designed to be frictionless. Real "
                "closeness is not frictionless. A therapy relationship gives you a place to "
                "practise repair: to say the hard thing, be heard, and find the relationship "
                "still standing."
            ),
            heading("For couples, too", "h3"),
            paragraph(
                "In couples work the same idea scales up. The aim is not to decide who is "
                "right, but to help both partners feel safe enough to be honest."
            ),
            call_to_action(
                "Find your therapist",
                "Start with a free 20-minute call; we will match you with someone who fits.",
                "Book a free call",
                "consultations:book",
            ),
        ],
    },
]


class Command(BaseCommand):
    help = "Create the demo blog (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        index = build_blog_index()
        for number, post in enumerate(POSTS, start=1):
            if BlogPage.objects.filter(slug=post["slug"]).exists():
                continue
            author = demo_therapist(post["author"], **FALLBACK_AUTHORS[post["author"]])
            hero = build_image(
                f"{post['title']} (demo hero)",
                seed=number * 7,
                size=(1600, 900),
                art=post["hero_art"],
            )
            build_post(
                index,
                slug=post["slug"],
                title=post["title"],
                date=post["date"],
                summary=post["summary"],
                hero=hero,
                hero_alt=post["hero_alt"],
                body=post["body"],
                tags=post["tags"],
                authors=[author],
            )
        if options["verbosity"]:
            self.stdout.write(f"Blog: {BlogPage.objects.count()} posts at {index.url}")
