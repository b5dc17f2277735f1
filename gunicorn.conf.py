"""gunicorn's settings for the app servers: `scripts/serve` and docs/deploy.md name this file
with `-c` (gunicorn also reads it by itself from the working directory)."""

# The access log, where one is asked for (`--access-logfile -`), names no secret and cannot be
# forged with control characters in a path.
logger_class = "kindman.access_log.RedactingLogger"
# Method, path without the query string, status, time taken: nothing about who asked.
access_log_format = "%(m)s %(U)s %(s)s %(M)sms"
