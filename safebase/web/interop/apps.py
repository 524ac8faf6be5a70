from django.apps import AppConfig


class InteropConfig(AppConfig):
    """Exchange with other systems: FHIR R4 export of a person's results and import of a
    QuestionnaireResponse. The conversions are pure (``safebase.interop``); this app picks the
    records through the access policy and saves through the assessment services."""

    name = "safebase.web.interop"
    label = "interop"
    default_auto_field = "django.db.models.BigAutoField"
