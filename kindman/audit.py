"""Audit-log entries written in one INSERT, for the public booking paths.

`wagtail.log_actions.log` saves the entry through `BaseLogEntry.save`, which runs `full_clean`
first: that check reads the content type's row back (a query) and re-validates every field,
about a tenth of a booking's cost. `log_entry` writes the same row as `log` (same log model,
content type, label, action, user and log-context uuid) with a plain INSERT. It keeps the one
check that can fail here, that the action is registered, and raises before writing if not.
`audit_row` gives the unsaved entry, for writing with other rows (`kindman.rows`)."""

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from wagtail.log_actions import get_active_log_context
from wagtail.log_actions import registry as log_actions


def log_entry(instance, action: str, *, user=None):
    """Log `action` on `instance` (a non-page model) as Wagtail's `log()` would; returns the
    entry, or None when the model has no log (as `log()` does)."""
    entry = audit_row(instance, action, user=user)
    if entry is not None:
        type(entry).objects.bulk_create([entry])
    return entry


def audit_row(instance, action: str, *, user=None):
    """The unsaved entry `log_entry` writes (None when the model has no log)."""
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
        object_id=str(instance.pk),
        label=log_model.objects.get_instance_title(instance),
        action=action,
        timestamp=timezone.now(),
        data={},
        user=user or context.user,
        uuid=context.uuid,
    )
