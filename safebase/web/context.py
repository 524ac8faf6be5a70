from functools import cache

from django.conf import settings
from django.urls import get_script_prefix, reverse

from safebase.core.styles import NOT_A_DIAGNOSIS


def site(request):
    """Site-wide template values; shows crisis resources once after a flagged entry."""
    session = getattr(request, "session", None)
    show_crisis = session.pop("show_crisis", False) if session is not None else False
    kind = session.pop("crisis_kind", None) if session is not None else None
    crisis = message = danger = None
    if show_crisis:  # the safety module (rules, classifier) is loaded only when needed
        from safebase.core.practice.safety import crisis_message, immediate_danger_message
        from safebase.web.practice.services import crisis_resources

        crisis = crisis_resources(category=kind)
        message = crisis_message("gentle" if show_crisis == "gentle" else "flagged", kind)
        danger = immediate_danger_message()
    return {
        "MULTI_USER": settings.MULTI_USER,
        "NOT_A_DIAGNOSIS": NOT_A_DIAGNOSIS,
        "crisis_resources": crisis,
        "crisis_message": message,
        "immediate_danger": danger,
        "nav": _nav_urls(get_script_prefix()),
    }


NAV_URL_NAMES = (
    "home",
    "about",
    "help",
    "history",
    "assessments:list",
    "export_json",
    "login",
    "logout",
    "signup",
    "password_change",
    "preferences",
    "practice:plan",
    "practice:checkin",
    "practice:journal",
    "practice:progress",
    "relationships:together",
    "clinic:my",
    "family:home",
)


@cache
def _nav_urls(script_prefix: str) -> dict[str, str]:
    """The header's links, reversed once per process (and script prefix) instead of by a
    ``{% url %}`` tag each on every page: about 0.1 ms of a cached result page's ~1.3 ms,
    measured in-process through Django's WSGI handler."""
    return {name.replace(":", "_"): reverse(name) for name in NAV_URL_NAMES}
