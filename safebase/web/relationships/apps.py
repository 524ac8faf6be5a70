from django.apps import AppConfig


class RelationshipsConfig(AppConfig):
    name = "safebase.web.relationships"
    label = "relationships"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from safebase.web.relationships import signals  # noqa: F401  (connects receivers)
