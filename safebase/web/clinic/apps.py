from django.apps import AppConfig


class ClinicConfig(AppConfig):
    name = "safebase.web.clinic"
    label = "clinic"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from safebase.web.clinic import signals  # noqa: F401  (connects receivers)
