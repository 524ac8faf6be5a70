"""Three lookups every signed-in page makes, as single parameterised SQL statements.

Each page view reads its session, its user and (on a result page) the result's owner and state.
Through the ORM each lookup cost 0.2-0.25 ms on this machine, against 0.02 ms for the same
statement through a cursor (timed in-process on SQLite, 2026-11-23; `benchmarks/web_load.py
--profile` lists the queries and their database time); together about 0.6 ms of a cached
result page's 1.5 ms. These functions return the same rows with the SQL written once. They run
on SQLite and PostgreSQL (the web tests run on both) and take values only as bound parameters.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.sessions.backends import db as db_sessions
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone


def _one(sql: str, params: list[Any]) -> tuple | None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


@cache
def _sql(kind: str) -> str:
    """The statements, with table and column names from the models (quoted for the backend)."""
    from django.contrib.sessions.models import Session

    from safebase.web.assessments.models import Assessment

    q = connection.ops.quote_name
    user = get_user_model()._meta
    if kind == "session":
        return (
            f"SELECT session_data FROM {q(Session._meta.db_table)} "
            "WHERE session_key = %s AND expire_date > %s"
        )
    if kind == "user":
        return f"SELECT * FROM {q(user.db_table)} WHERE {q(user.pk.column)} = %s"
    if kind == "result":
        return (
            f"SELECT status, completed_at, instrument_id FROM {q(Assessment._meta.db_table)} "
            "WHERE id = %s AND owner_id = %s"
        )
    raise KeyError(kind)


_MAX_ID = 2**63 - 1  # BigAutoField


def _now() -> Any:
    return connection.ops.adapt_datetimefield_value(timezone.now())


class SessionStore(db_sessions.SessionStore):
    """Django's database sessions (every worker process sees a log-out at once), with the
    read done in one statement. Writes, expiry and key rotation are Django's own."""

    def load(self) -> dict:
        if not self.session_key:
            return {}
        row = _one(_sql("session"), [self.session_key, _now()])
        if row is None:
            self._session_key = None
            return {}
        return self.decode(row[0])


class UserBackend(ModelBackend):
    """ModelBackend whose per-request user lookup is one raw query (fields still converted
    by the ORM, so dates and booleans are the same Python values on every database)."""

    def get_user(self, user_id):
        model = get_user_model()
        try:
            user_id = model._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        found = list(model._default_manager.raw(_sql("user"), [user_id]))
        if not found:
            return None
        user = found[0]
        return user if self.user_can_authenticate(user) else None


def result_state(pk: int, owner_id: int) -> tuple[str, datetime | None, str] | None:
    """(status, completed_at, instrument_id) of the owner's assessment ``pk``, else None.

    ``completed_at`` is only used to tell versions apart, so it is returned as the database
    gives it (naive on SQLite, aware on PostgreSQL). An id beyond the 64-bit key range names no
    row (SQLite would raise rather than answer)."""
    if not 0 < pk <= _MAX_ID:
        return None
    return _one(_sql("result"), [pk, owner_id])
