"""gunicorn's settings for the app servers: `scripts/serve` and docs/deploy.md name this file
with `-c` (gunicorn also reads it by itself from the working directory)."""

import gc

# The access log, where one is asked for (`--access-logfile -`), names no secret and cannot be
# forged with control characters in a path.
logger_class = "kindman.access_log.RedactingLogger"
# Method, path without the query string, status, time taken: nothing about who asked.
access_log_format = "%(m)s %(U)s %(s)s %(M)sms"

# A full garbage-collection pass walks every object the collector tracks, and a worker keeps a
# great many for its whole life (modules, models, the URLconf, compiled templates): each pass
# would stall the request it lands in. gc.freeze() takes what exists now out of every later
# pass (https://docs.python.org/3/library/gc.html#gc.freeze); it is done once the app is loaded
# and once more when the first pages have loaded their templates.
WARM_AFTER_REQUESTS = 100
requests_served = 0


def post_worker_init(worker):
    gc.collect()
    gc.freeze()


def post_request(worker, req, environ, resp):
    global requests_served
    requests_served += 1
    if requests_served == WARM_AFTER_REQUESTS:
        gc.collect()
        gc.freeze()
