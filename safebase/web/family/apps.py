from django.apps import AppConfig


class FamilyConfig(AppConfig):
    name = "safebase.web.family"
    label = "family"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from safebase.web.family import receivers  # noqa: F401  (connects the signal)
