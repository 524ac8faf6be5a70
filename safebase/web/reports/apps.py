from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Printable reports: a person's results over a period, as PDF (the layout is in
    ``safebase.reports``; this app gathers the numbers from the other apps' services)."""

    name = "safebase.web.reports"
    label = "reports"
    default_auto_field = "django.db.models.BigAutoField"
