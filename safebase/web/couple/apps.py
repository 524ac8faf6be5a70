from django.apps import AppConfig


class CoupleConfig(AppConfig):
    name = "safebase.web.couple"
    label = "couple"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The rituals' reminders join the practice calendar; joint records left with nobody in
        # them are removed when an account is deleted.
        from safebase.web.couple import reminders, signals  # noqa: F401
