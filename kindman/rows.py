"""New rows of several models written in one SQL statement, for the public booking paths.

A booking writes the call itself, its email deliveries, the task that sends them and its audit
entry. Saved one by one through the ORM that was four round trips and about a third of a
booking's CPU (the call's own create about 12% under load, the other rows 2.5-3 ms of 12-14 ms
measured in one process). `insert_together` writes them in one statement:

    WITH r0 AS (INSERT INTO … RETURNING "id"), r1 AS (INSERT INTO … VALUES …), …
    SELECT (SELECT "id" FROM r0)

Each row's values are the ones `bulk_create` writes (primary keys made in Python, each field's
`pre_save`, such as `auto_now_add`, and its conversion to its database value), as plain
`INSERT … VALUES (%s, …)`; only the "INSERT INTO table (columns)" head is kept per model. The
ORM's own insert compiler, which also handles expressions, placeholders of special fields and
bulk arrays, was about a tenth of a booking's CPU; fields with their own placeholder and values
that are expressions (other than pending keys) are refused. PostgreSQL runs the parts on one
snapshot, all or nothing.

A row whose key the database makes (the call) is given a `pending_key` first: the other rows
refer to it through `row.pk` (or `row` itself as a foreign key) before it exists. That key is
written as `(SELECT "id" FROM r0)`, read back from the statement, and then set on every row
that holds it.

As with `bulk_create`, no model signals are sent and `save()` is not called: use it for models
whose signals do nothing a booking needs."""

from django.db import connections, router
from django.db.models import AutoField


class PendingKey:
    """The key the database will give `row` in `insert_together`, usable in the other rows of
    the same call. Compared by identity: each stands for one row."""

    def __init__(self, row):
        self.row = row
        self.cte = None  # named by `insert_together`

    def sql(self, connection) -> str:
        if self.cte is None:
            raise ValueError(f"{self.row!r} has no key yet: write it with insert_together().")
        column = connection.ops.quote_name(self.row._meta.pk.column)
        return f"(SELECT {column} FROM {self.cte})"  # noqa: S608 (a quoted column, our CTE)

    def __repr__(self):
        return f"<PendingKey of {type(self.row).__name__}>"


def pending_key(row) -> PendingKey:
    """Set an unsaved row's key, which the database makes, to a placeholder the other rows of
    an `insert_together` may refer to; that call replaces it with the real key."""
    if row.pk is not None:
        raise ValueError(f"{row!r} already has a key.")
    row.pk = PendingKey(row)
    return row.pk


def insert_together(rows, *, using: str | None = None) -> None:
    """INSERT `rows` (unsaved instances of any models; None entries are skipped) in one
    statement: first each row with a `pending_key`, then one INSERT per model in the order
    the models first appear."""
    rows = [row for row in rows if row is not None]
    if not rows:
        return
    using = using or router.db_for_write(type(rows[0]))
    connection = connections[using]
    pending, groups = [], {}
    for row in rows:
        row._prepare_related_fields_for_save(operation_name="insert_together")
        if isinstance(row.pk, PendingKey):
            row.pk.cte = f"r{len(pending)}"
            pending.append(row)
            continue
        if not row._is_pk_set():
            row.pk = row._meta.pk.get_pk_value_on_save(row)  # a default such as uuid4
        groups.setdefault((type(row), row._is_pk_set()), []).append(row)

    parts, params = [], []
    holders = []  # (row, field, pending key) for each value to set once the keys are made

    def compile_insert(model, group, *, has_pk: bool, returning: bool = False) -> None:
        fields, head = _insert_head(model, has_pk, connection)
        values = []
        for row in group:
            placeholders = []
            for field in fields:
                value = field.pre_save(row, True)  # as the ORM does (auto_now, say)
                if isinstance(value, PendingKey):
                    placeholders.append(value.sql(connection))
                    holders.append((row, field, value))
                elif hasattr(value, "resolve_expression"):
                    raise ValueError(
                        f"{field} of {row!r}: only a pending key may be an expression."
                    )
                else:
                    placeholders.append("%s")
                    params.append(field.get_db_prep_save(value, connection))
            values.append(f"({', '.join(placeholders)})")
        statement = f"{head} VALUES {', '.join(values)}"
        if returning:
            statement += f" RETURNING {connection.ops.quote_name(model._meta.pk.column)}"
        parts.append(statement)

    for row in pending:
        compile_insert(type(row), [row], has_pk=False, returning=True)
        holders.append((row, row._meta.pk, row.pk))
    for (model, has_pk), group in groups.items():
        compile_insert(model, group, has_pk=has_pk)

    if pending:
        statement = f"SELECT {', '.join(row.pk.sql(connection) for row in pending)}"
        ctes = parts
    else:
        *ctes, statement = parts
    if ctes:
        named = ", ".join(f"r{index} AS ({part})" for index, part in enumerate(ctes))
        statement = f"WITH {named} {statement}"
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        made = cursor.fetchone() if pending else ()
    keys = dict(zip([row.pk for row in pending], made, strict=True))
    for row, field, key in holders:
        setattr(row, field.attname, field.to_python(keys[key]))
    for row in rows:
        row._state.adding = False
        row._state.db = using


# (model, has_pk, vendor) -> the fields an INSERT of that model writes and its "INSERT INTO …
# (…)" head; the models are few.
_heads: dict = {}


def _insert_head(model, has_pk: bool, connection):
    key = (model, has_pk, connection.vendor)
    if (head := _heads.get(key)) is None:
        fields = [field for field in model._meta.concrete_fields if not field.generated]
        if not has_pk:
            fields = [field for field in fields if not isinstance(field, AutoField)]
        if unusual := [field for field in fields if hasattr(field, "get_placeholder")]:
            raise ValueError(f"{unusual}: fields with their own placeholder are not supported.")
        quote = connection.ops.quote_name
        columns = ", ".join(quote(field.column) for field in fields)
        head = _heads[key] = (fields, f"INSERT INTO {quote(model._meta.db_table)} ({columns})")
    return head


# Statements with up to this many parameters have their parsing remembered by psycopg; see
# `remember_statement_parsing`.
STATEMENT_PARAMS = 128


def remember_statement_parsing() -> None:
    """psycopg remembers how it split a statement at its `%s` placeholders only for statements
    of at most 50 parameters, a limit it keeps private (`psycopg._queries`). A booking's one
    INSERT has 64 (more with an email), and splitting it anew each time was about 6% of a
    booking's CPU. Raised once at start-up (`KindmanConfig.ready`); a test fails if any
    statement of a booking is split anew (`tests/consultations/test_week_paging.py`)."""
    from psycopg import _queries

    if _queries.MAX_CACHED_STATEMENT_PARAMS < STATEMENT_PARAMS:
        _queries.MAX_CACHED_STATEMENT_PARAMS = STATEMENT_PARAMS


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
