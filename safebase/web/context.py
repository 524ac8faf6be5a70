from django.conf import settings

from safebase.core.styles import NOT_A_DIAGNOSIS


def site(request):
    """Site-wide template values; shows crisis resources once after a flagged entry."""
    show_crisis = (
        bool(request.session.pop("show_crisis", False)) if hasattr(request, "session") else False
    )
    crisis = None
    if show_crisis:
        from safebase.web.practice.services import crisis_resources

        crisis = crisis_resources()
    return {
        "MULTI_USER": settings.MULTI_USER,
        "NOT_A_DIAGNOSIS": NOT_A_DIAGNOSIS,
        "crisis_resources": crisis,
    }
