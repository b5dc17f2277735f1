"""The accessibility report's email to the practice. Built from the report when sent; the
outbox row holds nothing but a reference to it."""

from kindman.emails import email_builder, render_email


@email_builder("accessibility_report", "Accessibility report to the practice")
def build_accessibility_report(delivery, report):
    from kindman.models import PracticeSettings

    headers = {"Reply-To": report.reply_email} if report.reply_email else None
    return render_email(
        "kindman/practice/email/accessibility_report",
        {"report": report},
        to=[PracticeSettings.load().email],
        headers=headers,
    )
