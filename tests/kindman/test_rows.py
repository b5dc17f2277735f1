"""`kindman.rows`: several models' new rows in one statement, and the row a task's `enqueue`
writes with the database backend."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction
from django.db.models.functions import Now
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max
from wagtail.models import ModelLogEntry

from consultations.factories import build_consultation, build_coordinator
from consultations.models import Consultation, EmailDelivery
from consultations.tasks import send_batch
from kindman.audit import audit_row
from kindman.rows import insert_together, pending_key, task_row

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def call():
    start = timezone.now() + timedelta(days=2)
    return build_consultation(coordinator=build_coordinator(), starts_at=start)


def delivery(call, kind="consultation_staff_new", **fields):
    content_type = ContentType.objects.get_for_model(call)
    return EmailDelivery(kind=kind, content_type=content_type, object_id=call.pk, **fields)


def test_rows_of_three_models_take_one_statement_with_the_orms_defaults(call, settings):
    settings.TASKS = DATABASE_TASKS
    rows = [
        delivery(call),
        delivery(call, kind="consultation_confirmation", sequence=2),
        audit_row(call, "consultations.book"),
        task_row(send_batch, "a-batch"),
    ]
    before = timezone.now()
    with CaptureQueriesContext(connection) as queries:
        insert_together(rows)
    assert len(queries.captured_queries) == 1
    assert queries.captured_queries[0]["sql"].startswith("WITH r0 AS (INSERT INTO")

    staff, confirmation = EmailDelivery.objects.filter(object_id=call.pk).order_by("pk")
    assert (staff.kind, staff.sequence) == ("consultation_staff_new", 0)
    assert (confirmation.kind, confirmation.sequence) == ("consultation_confirmation", 2)
    assert staff.status == EmailDelivery.Status.QUEUED  # the field's default
    assert staff.created_at >= before and staff.updated_at >= before  # auto_now(_add)
    entry = ModelLogEntry.objects.for_instance(call).get()
    assert (entry.action, entry.label) == ("consultations.book", str(call))
    task = DBTaskResult.objects.get()
    assert task.args_kwargs == {"args": ["a-batch"], "kwargs": {}}
    assert not any(row._state.adding for row in rows)


def test_one_refused_row_writes_none_of_them(call, settings):
    settings.TASKS = DATABASE_TASKS
    first = task_row(send_batch, "one")
    again = task_row(send_batch, "two")
    again.id = first.id  # the same primary key twice
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_together([delivery(call), audit_row(call, "consultations.book"), first, again])
    assert not EmailDelivery.objects.exists()
    assert not ModelLogEntry.objects.for_instance(call).exists()
    assert not DBTaskResult.objects.exists()


def test_one_model_alone_and_nothing_at_all(call):
    with CaptureQueriesContext(connection) as queries:
        insert_together([None])
        insert_together([delivery(call), None])
    assert [q["sql"].split()[:2] for q in queries.captured_queries] == [["INSERT", "INTO"]]
    assert EmailDelivery.objects.count() == 1


def new_call(coordinator, phone="+13235550177"):
    start = (timezone.now() + timedelta(days=3)).replace(microsecond=0)
    call = Consultation(
        coordinator=coordinator,
        starts_at=start,
        ends_at=start + timedelta(minutes=20),
        name="Robin Testperson",
        phone=phone,
    )
    pending_key(call)
    return call


def test_a_row_keyed_by_the_database_is_written_with_the_rows_that_refer_to_it(settings):
    settings.TASKS = DATABASE_TASKS
    call = new_call(build_coordinator())
    notice, entry = delivery(call), audit_row(call, "consultations.book")
    with CaptureQueriesContext(connection) as queries:
        insert_together([notice, entry, task_row(send_batch, "a-batch"), call])  # the call first
    assert len(queries.captured_queries) == 1
    sql = queries.captured_queries[0]["sql"]
    assert sql.startswith('WITH r0 AS (INSERT INTO "consultations_consultation"')

    saved = Consultation.objects.get(phone="+13235550177")
    assert call.pk == saved.pk and not call._state.adding  # the key the database made
    assert EmailDelivery.objects.get().object_id == saved.pk == notice.object_id
    assert ModelLogEntry.objects.for_instance(saved).get().pk  # its object_id is the key, as text
    assert entry.object_id == str(saved.pk)
    assert saved.created_at is not None and saved.manage_token == call.manage_token


def test_a_refused_row_keyed_by_the_database_writes_none_of_the_others(call):
    taken = new_call(call.coordinator, phone=call.phone)  # one open call per phone number
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_together([taken, delivery(taken), audit_row(taken, "consultations.book")])
    assert not EmailDelivery.objects.exists()
    assert not ModelLogEntry.objects.exists()
    assert Consultation.objects.count() == 1


def test_a_pending_key_needs_its_row_in_the_same_insert(call):
    other = new_call(call.coordinator, phone="+13235550178")
    with pytest.raises(ValueError, match="insert_together"):
        insert_together([delivery(other)])
    with pytest.raises(ValueError, match="already has a key"):
        pending_key(call)


def test_values_that_are_expressions_are_refused_not_written(call):
    with pytest.raises(ValueError, match="only a pending key may be an expression"):
        insert_together([delivery(call), delivery(call, send_after=Now())])
    assert not EmailDelivery.objects.exists()


COMPARED = [
    "status",
    "args_kwargs",
    "priority",
    "task_path",
    "worker_ids",
    "queue_name",
    "backend_name",
    "run_after",
    "return_value",
    "exception_class_path",
    "traceback",
]


@pytest.mark.parametrize("deferred", [False, True], ids=["now", "later"])
def test_the_task_row_is_the_one_enqueue_writes(settings, deferred):
    settings.TASKS = DATABASE_TASKS
    task = (
        send_batch.using(run_after=timezone.now() + timedelta(hours=3)) if deferred else send_batch
    )
    enqueued = DBTaskResult.objects.get(id=task.enqueue("a-batch").id)
    ours = task_row(task, "a-batch")
    insert_together([ours])
    ours = DBTaskResult.objects.get(id=ours.id)
    assert {name: getattr(ours, name) for name in COMPARED} == {
        name: getattr(enqueued, name) for name in COMPARED
    }
    assert ours.id != enqueued.id
    assert (ours.run_after == get_date_max()) is not deferred


def test_no_task_row_for_other_backends():
    assert task_row(send_batch, "a-batch") is None  # the tests' immediate backend
