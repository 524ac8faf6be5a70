"""Start Django from the command line: settings, and the database migrated before first use."""

from __future__ import annotations

import os

_ready = False


def setup_django(migrate: bool = True) -> None:
    global _ready
    if _ready:
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safebase.web.settings")
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
    _ready = True
