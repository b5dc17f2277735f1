"""New rows of several models written in one SQL statement, for the public booking paths.

A booking writes, besides the call itself, its email deliveries, the task that sends them and
its audit entry. Saved one by one through the ORM that was three round trips, and together about
a fifth of a booking's CPU (2.5-3 ms of 12-14 ms, measured in one process with the old and new
code interleaved). `insert_together` writes them in one statement:

    WITH r0 AS (INSERT INTO … VALUES …), r1 AS (INSERT INTO … VALUES …) INSERT INTO … VALUES …

Each INSERT is compiled by the ORM exactly as `bulk_create` compiles it (primary keys made in
Python, `auto_now_add`, each field's conversion to its database value); PostgreSQL runs the
parts on one snapshot, all or nothing.

As with `bulk_create`, no model signals are sent and `save()` is not called. Unlike it, no
database-made primary key is read back: use it for rows nothing in the request reads again,
or give them keys made in Python (UUIDs)."""

from django.db import connections, router
from django.db.models import AutoField, sql


def insert_together(rows, *, using: str | None = None) -> None:
    """INSERT `rows` (unsaved instances of any models; None entries are skipped) in one
    statement, one INSERT per model in the order the models first appear."""
    rows = [row for row in rows if row is not None]
    if not rows:
        return
    using = using or router.db_for_write(type(rows[0]))
    groups: dict[tuple, list] = {}
    for row in rows:
        if not row._is_pk_set():
            row.pk = row._meta.pk.get_pk_value_on_save(row)  # a default such as uuid4
        row._prepare_related_fields_for_save(operation_name="insert_together")
        groups.setdefault((type(row), row._is_pk_set()), []).append(row)

    parts, params = [], []
    for (model, has_pk), group in groups.items():
        fields = [field for field in model._meta.concrete_fields if not field.generated]
        if not has_pk:
            fields = [field for field in fields if not isinstance(field, AutoField)]
        query = sql.InsertQuery(model)
        query.insert_values(fields, group)
        for statement, statement_params in query.get_compiler(using=using).as_sql():
            parts.append(statement)
            params.extend(statement_params)

    *first, last = parts
    statement = last
    if first:
        ctes = ", ".join(f"r{index} AS ({part})" for index, part in enumerate(first))
        statement = f"WITH {ctes} {last}"
    with connections[using].cursor() as cursor:
        cursor.execute(statement, params)
    for row in rows:
        row._state.adding = False
        row._state.db = using


def task_row(task, *args, **kwargs):
    """The unsaved row `task.enqueue(*args, **kwargs)` writes when the task's backend is
    django-tasks' database backend, for `insert_together`; None for any other backend (call
    `enqueue` then). The backend's own checks run first. The difference from `enqueue`: no
    `task_enqueued` signal, which django-tasks only logs at DEBUG level."""
    from django_tasks.utils import normalize_json
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult, get_date_max

    backend = task.get_backend()
    if not isinstance(backend, DatabaseBackend):
        return None
    backend.validate_task(task)
    return DBTaskResult(
        id=backend._get_id(),
        args_kwargs=normalize_json({"args": args, "kwargs": kwargs}),
        priority=task.priority,
        task_path=task.module_path,
        queue_name=task.queue_name,
        # What the backend's pre_save handler does, which `insert_together` does not call.
        run_after=task.run_after or get_date_max(),
        backend_name=backend.alias,
    )
