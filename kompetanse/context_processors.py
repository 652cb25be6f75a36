from __future__ import annotations

from django.http import HttpRequest

from organisation.scope import scope_of


def navigation(request: HttpRequest) -> dict[str, object]:
    """Which main menu entries the user gets."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    scope = scope_of(user)
    return {
        "nav_is_leader": scope.changeable().exists(),
        "nav_is_administrator": scope.administrator,
        "nav_may_import": scope.administrator or bool(scope.hr_change),
        "nav_can_analyse": scope.administrator or bool(scope.led or scope.hr_read),
        "nav_conversations": scope.own is not None
        or scope.administrator
        or bool(scope.led or scope.hr_read),
    }
