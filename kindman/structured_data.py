"""schema.org data for search engines, serialised safely into a <script type=application/ld+json>.

The practice is one `MedicalBusiness` node (`PRACTICE_ID`): the home and visit pages describe it
in full, other pages point at it. Every URL is absolute on settings.PUBLIC_ORIGIN, and every
date-time carries its offset from UTC (Pacific time)."""

import json
from datetime import date, datetime, time

from django.templatetags.static import static
from django.utils.safestring import SafeString, mark_safe

from kindman.models import PracticeSettings
from kindman.origin import page_public_url, public_url
from kindman.timezones import PRACTICE_TZ

# json.dumps leaves these alone; inside <script> they could end it or start markup.
_UNSAFE = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}

CONTEXT = "https://schema.org"
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def json_ld(data: dict) -> SafeString:
    payload = json.dumps(data, ensure_ascii=False, default=str).translate(_UNSAFE)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')  # noqa: S308


def practice_id() -> str:
    return public_url("/#practice")


def local_datetime(moment: datetime | date) -> str:
    """ISO 8601 with the Pacific offset; a bare date is taken as the start of that day."""
    if not isinstance(moment, datetime):
        moment = datetime.combine(moment, time.min, tzinfo=PRACTICE_TZ)
    return moment.astimezone(PRACTICE_TZ).isoformat()


def practice_reference(request=None) -> dict:
    """The practice, named and pointed at (for `worksFor`, `organizer`, `publisher`)."""
    practice = PracticeSettings.load(request_or_site=request)
    return {
        "@type": "MedicalBusiness",
        "@id": practice_id(),
        "name": practice.name,
        "url": public_url("/"),
    }


def practice(request=None) -> dict:
    """The practice in full: address, phone, email and logo."""
    settings = PracticeSettings.load(request_or_site=request)
    return {
        "@context": CONTEXT,
        **practice_reference(request),
        "description": settings.tagline,
        "telephone": settings.phone,
        "email": settings.email,
        "logo": public_url(static("images/favicon.svg")),
        "image": public_url(static("images/favicon.svg")),
        "address": {
            "@type": "PostalAddress",
            "streetAddress": settings.street_address,
            "addressLocality": settings.locality,
            "addressRegion": settings.region,
            "postalCode": settings.postal_code,
            "addressCountry": "US",
        },
    }


def visit_page(page, request=None) -> dict:
    """The visit page: the practice with its opening hours and map position."""
    data = practice(request)
    data["hasMap"] = page_public_url(page, request)
    hours = list(page.opening_hours.all())
    if hours:
        data["openingHoursSpecification"] = [
            {
                "@type": "OpeningHoursSpecification",
                "dayOfWeek": f"https://schema.org/{DAYS[row.weekday]}",
                "opens": row.opens.strftime("%H:%M"),
                "closes": row.closes.strftime("%H:%M"),
            }
            for row in hours
        ]
    if page.latitude is not None and page.longitude is not None:
        data["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(page.latitude),
            "longitude": float(page.longitude),
        }
    return data


def faq_page(page, request=None) -> dict:
    return {
        "@context": CONTEXT,
        "@type": "FAQPage",
        "url": page_public_url(page, request),
        "name": page.title,
        "mainEntity": [
            {
                "@type": "Question",
                "name": item["question"],
                "acceptedAnswer": {"@type": "Answer", "text": item.answer_text()},
            }
            for group in page.body
            for item in group.value["questions"]
        ],
    }


def profile_page(therapist, request=None, image_url: str | None = None) -> dict:
    """A therapist's profile: a `ProfilePage` about a `Person` who works for the practice, with
    their licence or registration as a credential."""
    url = page_public_url(therapist, request)
    person = {
        "@type": "Person",
        "@id": f"{url}#person",
        "name": therapist.title,
        "jobTitle": therapist.role,
        "description": therapist.short_bio,
        "url": url,
        "worksFor": practice_reference(request),
    }
    if therapist.credentials:
        person["honorificSuffix"] = therapist.credentials
    if image_url:
        person["image"] = image_url
    credential = therapist.licence_credential
    if credential:
        person["hasCredential"] = credential
    data = {
        "@context": CONTEXT,
        "@type": "ProfilePage",
        "url": url,
        "mainEntity": person,
    }
    if therapist.first_published_at:
        data["dateCreated"] = local_datetime(therapist.first_published_at)
    if therapist.last_published_at:
        data["dateModified"] = local_datetime(therapist.last_published_at)
    return data


def event(session, *, page_url: str, seats_left: int, request=None) -> dict:
    """An information session: online or in person, free, with its seats."""
    data = {
        "@context": CONTEXT,
        "@type": "Event",
        "name": session.title,
        "description": session.audience or session.description[:300],
        "url": page_url,
        "startDate": local_datetime(session.starts_at),
        "endDate": local_datetime(session.ends_at),
        "eventStatus": "https://schema.org/EventScheduled",
        "organizer": practice_reference(request),
        "isAccessibleForFree": True,
        "offers": {
            "@type": "Offer",
            "price": "0",
            "priceCurrency": "USD",
            "url": page_url,
            "availability": (
                "https://schema.org/InStock" if seats_left else "https://schema.org/SoldOut"
            ),
            "validFrom": local_datetime(session.registration_opens_at or session.created_at),
        },
    }
    if session.is_online:
        data["eventAttendanceMode"] = "https://schema.org/OnlineEventAttendanceMode"
        # The join link goes to registered people only; the public page stands in for it.
        data["location"] = {"@type": "VirtualLocation", "url": page_url}
    else:
        settings = PracticeSettings.load(request_or_site=request)
        data["eventAttendanceMode"] = "https://schema.org/OfflineEventAttendanceMode"
        data["location"] = {
            "@type": "Place",
            "name": session.place,
            "address": {
                "@type": "PostalAddress",
                "streetAddress": session.place,
                "addressLocality": settings.locality,
                "addressRegion": settings.region,
                "addressCountry": "US",
            },
        }
    return data
