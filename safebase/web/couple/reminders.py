"""The rituals' reminders in the person's practice calendar file, while they are linked."""

from __future__ import annotations

from datetime import date

from safebase.core.couple.rituals import Reminder, ritual_reminders
from safebase.web.couple.partners import name_of
from safebase.web.practice import calendar
from safebase.web.relationships.services import partner_of


@calendar.register
def couple_reminders(user, today: date) -> list[Reminder]:
    partner = partner_of(user)
    if partner is None:
        return []
    return ritual_reminders(today=today, partner_name=name_of(partner))
