"""`make serve` (production settings, the file-based mail backend) writes the emails a booking
sends into EMAIL_FILE_PATH: a real gunicorn, a real booking, the real task worker."""

import shutil
import tempfile
from email import message_from_string
from email.header import decode_header, make_header
from pathlib import Path

from tests.fault_helpers import build_site_on, count, open_form, submit


def test_a_booking_under_make_serve_writes_its_confirmation_to_the_mail_folder():
    # Not under pytest's tmp_path (see fault_helpers.site_on_own_database).
    directory = Path(tempfile.mkdtemp(prefix="kindman-serve-mail-"))
    mail_dir = directory / "mail"
    site = None
    try:
        site = build_site_on(directory)
        # What scripts/serve exports.
        site.env["EMAIL_BACKEND"] = "django.core.mail.backends.filebased.EmailBackend"
        site.env["EMAIL_FILE_PATH"] = str(mail_dir)
        site.python(
            "from datetime import time; "
            "from consultations.factories import build_coordinator, build_rules; "
            "build_rules(min_notice_hours=0, buffer_minutes=10, horizon_days=14); "
            "build_coordinator(weekdays=range(7), start=time(0), end=time(23, 40))"
        )
        site.start()

        form = open_form(site)
        answer = submit(site, form, form[3][-1], "+13235550166", email="robin@example.com")
        assert answer.status == 302, answer.body[:500]
        site.manage("db_worker", "--batch", "--queue-name", "*", "--no-startup-delay")

        assert count(site, "EmailDelivery.objects.filter(status='sent').count()") == 2
        # The backend appends to one file per connection, a line of dashes after each message.
        messages = [
            message_from_string(text)
            for path in sorted(mail_dir.glob("*.log"))
            for text in path.read_text().split("-" * 79 + "\n")
            if text.strip()
        ]
        to_client = [m for m in messages if m["To"] == "robin@example.com"]
        assert len(to_client) == 1
        subject = str(make_header(decode_header(to_client[0]["Subject"])))
        assert subject.startswith("Your free consultation call with Kindman & Co.")
    finally:
        if site is not None:
            site.stop()
            site.database.close()
        shutil.rmtree(directory, ignore_errors=True)
