from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "safebase.web.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        user_logged_in.connect(_use_their_time_zone, dispatch_uid="safebase-time-zone")


def _use_their_time_zone(sender, request, user, **kwargs) -> None:
    """On sign-in, carry the person's chosen zone into the session (read without a query)."""
    from safebase.web.accounts.services import time_zone_of
    from safebase.web.timezones import remember

    name = time_zone_of(user)
    if name and request is not None and hasattr(request, "session"):
        remember(request, name)
