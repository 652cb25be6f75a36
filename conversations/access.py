"""The gate for conversations and actions, built on organisation.scope.

A conversation or action is reached through the person it is about: who
may see that person sees it (404 otherwise), who may change them changes
it (403 for who only sees them, the person themself included). An action
about a unit follows the unit's scope.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from conversations.models import Action, Conversation
from organisation.models import PATH_END
from organisation.scope import User, scope_of, unit_scope_paths


def get_visible_conversation(user: User, pk: int) -> Conversation:
    """The conversation if the user may see its person, else 404."""
    conversation = (
        Conversation.objects.select_related("person__unit", "leader")
        .filter(pk=pk, person__in=scope_of(user).visible().values("pk"))
        .first()
    )
    if conversation is None:
        raise Http404
    return conversation


def get_changeable_conversation(user: User, pk: int) -> Conversation:
    """The conversation if the user may change its person; 404 outside
    scope, 403 when the person is only visible (the employee themself)."""
    scope = scope_of(user)
    changeable = scope.changeable().filter(pk=OuterRef("person_id"))
    conversation = (
        Conversation.objects.select_related("person__unit", "leader")
        .annotate(changeable=Exists(changeable))
        .filter(pk=pk, person__in=scope.visible().values("pk"))
        .first()
    )
    if conversation is None:
        raise Http404
    if not conversation.changeable:
        raise PermissionDenied
    return conversation


def unit_condition(paths: list[str] | None) -> Q:
    """A filter on actions about units in these subtrees (None: all)."""
    if paths is None:
        return Q(unit__isnull=False)
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(unit__path__gte=path, unit__path__lt=path + PATH_END)
    return condition


def get_changeable_action(user: User, pk: int) -> Action:
    """The action if the user may change its person (or unit); 404 when
    they may not see it, 403 when they may only see it."""
    scope = scope_of(user)
    seen = Q(person__in=scope.visible().values("pk")) | unit_condition(
        unit_scope_paths(user)
    )
    action = (
        Action.objects.select_related("conversation", "person", "unit")
        .filter(seen, pk=pk)
        .first()
    )
    if action is None:
        raise Http404
    changed = Q(person__in=scope.changeable().values("pk")) | unit_condition(
        unit_scope_paths(user, changing=True)
    )
    if not Action.objects.filter(changed, pk=action.pk).exists():
        raise PermissionDenied
    return action
