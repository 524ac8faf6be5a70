"""The caseload table's rows as HTML, built in Python rather than in the template language.

Why: a caseload of 200 clients is ~20,000 template-variable lookups and filter calls; profiled
under benchmarks/clinic_load.py they were two thirds of the page's time (about 90 of 133 ms in
one process). The markup is exactly what ``clinic/caseload.html`` rendered before (the test
compares the two), and every value is escaped as autoescaping did: ``django.utils.html.escape``
is ``html.escape`` of ``str``, called here directly because its lazy-string wrapper costs more
than the escaping on a page of ~9,000 values.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from html import escape as _html_escape

from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import get_language

from safebase.web.clinic.reads import CaseloadLine, CaseloadRow, Flag


def _e(value: object) -> str:
    return _html_escape(str(value))


@lru_cache(maxsize=4096)
def _formatted(day: date, fmt: str, language: str | None) -> str:
    return _e(date_filter(day, fmt))


def _day(day: date, fmt: str) -> str:
    """A date as the ``date`` filter writes it, remembered: Django's date formatting is slow and
    a caseload repeats the same few dozen days. Month names follow the active language, so it is
    part of the key."""
    return _formatted(day, fmt, get_language())


def _flag(f: Flag) -> str:
    if f.reason:
        body = f'<span class="note">{_e(f.reason)}</span>'
    elif shared := f.shared_unavailable_reason:
        names = " and ".join(_e(c.name) for c in f.changes)
        body = f'{names} <span class="note">not available — {_e(shared)}</span>'
    else:
        parts = []
        for c in f.changes:
            if c.verdict.value == "not available":
                parts.append(
                    f'{_e(c.name)} <span class="note">not available — {_e(c.reason)}</span>'
                )
            else:
                diff = _e(floatformat(c.difference, 2))
                parts.append(f"{_e(c.name)} <strong>{_e(c.verdict.value)}</strong> ({diff})")
        body = "; ".join(parts)
    return f'<p class="flag">vs {_e(f.against)}: {body}</p>'


def _name_cell(r, client_url: str) -> str:
    no_login = '<br><span class="note">no login</span>' if r.kind == "no_login" else ""
    return (
        f'<tr>\n    <th scope="row"><a href="{client_url}{r.pk}/">{_e(r.display_name)}</a>'
        f"{no_login}</th>\n"
    )


def _assignment_cell(assignments) -> str:
    overdue = "".join(
        f"<p><strong>overdue:</strong> {_e(a.instrument.spec.short_name)} "
        f"(due {_day(a.next_due, 'j M')})</p>"
        for a, state in assignments
        if state == "overdue"
    )
    pending = "".join(
        f"<p>{_e(state)}: {_e(a.instrument.spec.short_name)} ({_day(a.next_due, 'j M')})</p>"
        for a, state in assignments
        if state in ("due", "upcoming")
    )
    return f"    <td>{overdue}\n      {pending}</td>\n  </tr>"


def result_cells(row: CaseloadRow) -> str:
    """The last result, trend and reliable-change cells: what the record keeps (no name)."""
    out = []
    s = row.latest
    if s:
        when = _day(template_localtime(s.last.completed_at).date(), "j M Y")
        out.append(f"    <td>{_e(s.inst.spec.short_name)}, {when}</td>\n")
        sparks = "".join(
            '<div class="spark"><svg width="80" height="20" viewBox="-2 -2 84 24" role="img" '
            f'aria-label="{_e(line["name"])}: {", ".join(_e(v) for v in line["values"])}">'
            '<polyline fill="none" stroke="currentColor" stroke-width="2" '
            f'points="{_e(line["points"])}"/></svg> <span class="note">{_e(line["name"])}</span>'
            "</div>"
            for line in s.sparklines()
        )
        out.append(f"    <td>{sparks}</td>\n")
    else:
        out.append('    <td><span class="note">nothing shared yet</span></td>\n    <td></td>\n')
    out.append("    <td>" + "".join(_flag(f) for f in row.flags()) + "</td>\n")
    return "".join(out)


def _client_url() -> str:
    return reverse("clinic:client", args=[0])[: -len("0/")]


def rows_html(rows: list[CaseloadRow]) -> SafeString:
    """The ``<tr>`` of every row, in order, all computed now."""
    url = _client_url()
    return mark_safe(
        "".join(
            f"\n  {_name_cell(row.record, url)}{result_cells(row)}"
            f"{_assignment_cell(row.assignments)}"
            for row in rows
        )
    )


def lines_html(lines: list[CaseloadLine]) -> SafeString:
    """The same rows from the record's stored result cells (``reads.caseload_page``)."""
    url = _client_url()
    return mark_safe(
        "".join(
            f"\n  {_name_cell(line.record, url)}{line.cells}{_assignment_cell(line.assignments)}"
            for line in lines
        )
    )
