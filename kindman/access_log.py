"""gunicorn's access log without secrets (`logger_class` in gunicorn.conf.py).

Manage links, newsletter links and password-reset links carry their secret in the path, and a
path may hold percent-encoded control characters that gunicorn decodes: logged as they are, they
would put a key to someone's booking in the logs, or write a line that looks like another request.
Loaded by gunicorn before Django: nothing here may import Django."""

import re

from gunicorn.glogging import Logger

# The path segment that is a secret, after the routes that take one (consultations/urls.py,
# blog/urls.py, Wagtail's password reset); tests/kindman/test_access_log.py checks every route
# with a `token` in it is covered.
SECRET_IN_PATH = re.compile(
    r"(/(?:consultation|info-sessions)/manage/(?!done/)"
    r"|/info-sessions/not-me/"
    r"|/newsletter/(?:confirm|unsubscribe)/"
    r"|/admin/password_reset/confirm/[^/?#\s]*/)"
    r"[^/?#\s]+"
)
REDACTED = "[secret]"
# Control characters (C0, DEL, C1), and the backslash so an escape cannot be forged either.
UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\\]")


def redact(value: str) -> str:
    """`value` with secrets in paths replaced and control characters written as `\\xNN`."""
    value = SECRET_IN_PATH.sub(rf"\1{REDACTED}", value)
    return UNPRINTABLE.sub(lambda match: f"\\x{ord(match[0]):02x}", value)


class RedactingLogger(Logger):
    """gunicorn's logger, with every text value an access-log format can name redacted."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            name: redact(value) if isinstance(value, str) else value
            for name, value in atoms.items()
        }
