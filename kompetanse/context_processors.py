from __future__ import annotations

from django.http import HttpRequest

from organisation.scope import changeable_people, visible_units


def navigation(request: HttpRequest) -> dict[str, object]:
    """Which main menu entries the user gets."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_is_leader": changeable_people(user).exists(),
        "nav_can_analyse": visible_units(user).exists(),
    }
