"""Audit-log entries for the public booking paths, written with the booking's other new rows.

`wagtail.log_actions.log` saves the entry through `BaseLogEntry.save`, which runs `full_clean`
first: that check reads the content type's row back (a query) and re-validates every field,
about a tenth of a booking's cost. `audit_row` builds the same row as `log` (same log model,
content type, label, action, user and log-context uuid), unsaved, for
`kindman.rows.insert_together`. It keeps the one check that can fail here, that the action is
registered, and raises before anything is written if not."""

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from wagtail.log_actions import get_active_log_context
from wagtail.log_actions import registry as log_actions


def audit_row(instance, action: str, *, user=None):
    """Wagtail's log entry for `action` on `instance` (a non-page model), unsaved, for writing with
    `kindman.rows.insert_together`: the row `log()` would write (None when the model has no log,
    when `log()` writes nothing)."""
    log_actions.scan_for_actions()
    log_model = log_actions.get_log_model_for_instance(instance)
    if log_model is None:
        return None
    if not log_actions.action_exists(action):
        raise ValueError(f"The log action {action!r} has not been registered.")
    if instance.pk is None:
        raise ValueError(f"Cannot log an action for {instance!r}: it has no primary key.")
    context = get_active_log_context()
    return log_model(
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
        # stored as text by the field; a `kindman.rows.pending_key` is written as it is made
        object_id=instance.pk,
        label=log_model.objects.get_instance_title(instance),
        action=action,
        timestamp=timezone.now(),
        data={},
        user=user or context.user,
        uuid=context.uuid,
    )
