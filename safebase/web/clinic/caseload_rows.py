"""The caseload table's rows as HTML, built in Python rather than in the template language.

Why: a caseload of 200 clients is ~20,000 template-variable lookups and filter calls; profiled
under benchmarks/clinic_load.py they were two thirds of the page's time (about 90 of 133 ms in
one process). The markup is exactly what ``clinic/caseload.html`` rendered before, and every
value is escaped (``format_html``/``escape``), as autoescaping did.
"""

from __future__ import annotations

from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime

from safebase.web.clinic.reads import CaseloadRow, Flag


def _flag(f: Flag) -> str:
    if f.reason:
        body = format_html('<span class="note">{}</span>', f.reason)
    else:
        parts = []
        for c in f.changes:
            if c.verdict.value == "not available":
                parts.append(
                    format_html('{} <span class="note">not available — {}</span>', c.name, c.reason)
                )
            else:
                parts.append(
                    format_html(
                        "{} <strong>{}</strong> ({})",
                        c.name,
                        c.verdict.value,
                        floatformat(c.difference, 2),
                    )
                )
        body = "; ".join(parts)
    return format_html('<p class="flag">vs {}: {}</p>', f.against, mark_safe(body))


def _row(row: CaseloadRow, client_url: str) -> str:
    r = row.record
    out = [
        format_html(
            '<tr>\n    <th scope="row"><a href="{}">{}</a>{}</th>\n',
            f"{client_url}{r.pk}/",
            r.display_name,
            mark_safe('<br><span class="note">no login</span>' if r.kind == "no_login" else ""),
        )
    ]
    s = row.latest
    if s:
        when = date_filter(template_localtime(s.last.completed_at), "j M Y")
        out.append(format_html("    <td>{}, {}</td>\n", s.inst.spec.short_name, when))
        sparks = "".join(
            format_html(
                '<div class="spark"><svg width="80" height="20" viewBox="-2 -2 84 24" role="img" '
                'aria-label="{}: {}"><polyline fill="none" stroke="currentColor" '
                'stroke-width="2" points="{}"/></svg> <span class="note">{}</span></div>',
                line["name"],
                ", ".join(escape(v) for v in line["values"]),
                line["points"],
                line["name"],
            )
            for line in s.sparklines()
        )
        out.append(f"    <td>{sparks}</td>\n")
    else:
        out.append('    <td><span class="note">nothing shared yet</span></td>\n    <td></td>\n')
    out.append("    <td>" + "".join(_flag(f) for f in row.flags()) + "</td>\n")
    overdue = "".join(
        format_html(
            "<p><strong>overdue:</strong> {} (due {})</p>",
            a.instrument.spec.short_name,
            date_filter(a.next_due, "j M"),
        )
        for a, _ in row.overdue
    )
    pending = "".join(
        format_html(
            "<p>{}: {} ({})</p>",
            state,
            a.instrument.spec.short_name,
            date_filter(a.next_due, "j M"),
        )
        for a, state in row.pending
    )
    out.append(f"    <td>{overdue}\n      {pending}</td>\n  </tr>")
    return "".join(out)


def rows_html(rows: list[CaseloadRow]) -> SafeString:
    """The ``<tr>`` of every row, in order."""
    client_url = reverse("clinic:client", args=[0])[: -len("0/")]
    return mark_safe("".join(f"\n  {_row(row, client_url)}" for row in rows))
