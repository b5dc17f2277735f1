"""What the pages of every client booking share: finding a booking by its private manage link,
the answer when that link no longer works, and a calendar file to download."""

from django.http import HttpResponse

from .models import MANAGE_TOKEN_PATTERN


def manageable(queryset, token: str):
    """The booking whose manage link carries `token`, while the link still works; else None.
    Anything that cannot be a token is refused before it reaches the database."""
    if not MANAGE_TOKEN_PATTERN.fullmatch(token):
        return None
    booking = queryset.filter(manage_token=token).first()
    if booking is None or not booking.is_manageable():
        return None
    return booking


def calendar_download(invite: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(invite, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
