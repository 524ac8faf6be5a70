"""Model fields whose contents are encrypted before they reach the database (see ``crypto``)."""

from __future__ import annotations

import json

from django.db import models

from safebase.web import crypto


class EncryptedTextField(models.TextField):
    """Plain ``str`` in Python, a Fernet token in the database. Not searchable or sortable."""

    def from_db_value(self, value, expression, connection):
        return None if value is None else crypto.decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return None if value is None else crypto.encrypt(str(value))


class EncryptedJSONField(models.TextField):
    """A JSON-serialisable value, encrypted as a whole."""

    def from_db_value(self, value, expression, connection):
        return None if value is None else json.loads(crypto.decrypt(value))

    def to_python(self, value):
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError:
                return value
        return value

    def get_prep_value(self, value):
        return None if value is None else crypto.encrypt(json.dumps(value))
