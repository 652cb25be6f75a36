"""Rules for comments on the catalogue: who sees, writes and moderates
them, and who is told by e-mail.

Everyone logged in reads a thread; hidden and withdrawn comments are
shown only to their author and to catalogue owners. The author may edit
or withdraw a comment until an owner has answered it.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from catalogue.models import (
    Comment,
    CommentQuerySet,
    Competence,
    Framework,
    Indicator,
    Level,
    Target,
)
from exchange.spreadsheet import csv_bytes
from organisation.models import Person, Role
from organisation.scope import User, is_catalogue_owner
from profiles.expectations import display_name

# Who may see a comment that is not public.
PRIVATE = (Comment.Status.HIDDEN, Comment.Status.WITHDRAWN)
# What an owner may do, and the status it leads to.
MODERATION = {
    "answer": Comment.Status.ANSWERED,
    "accept": Comment.Status.ACCEPTED,
    "reject": Comment.Status.REJECTED,
    "hide": Comment.Status.HIDDEN,
}


def visible_comments(user: User, *, owner: bool) -> CommentQuerySet:
    comments = Comment.objects.select_related("author__person", "framework")
    if owner:
        return comments
    return comments.filter(~Q(status__in=PRIVATE) | Q(author_id=user.pk))


def counts_by_target(user: User, framework: Framework, *, owner: bool) -> dict:
    """Number of visible comments per target key ("competence:<uuid>"),
    in one query for the whole framework, every version included."""
    rows = (
        visible_comments(user, owner=owner)
        .filter(framework__uuid=framework.uuid)
        .values("target_kind", "target_uuid", "level_number")
        .annotate(n=Count("pk"))
    )
    return {
        target_label(r["target_kind"], r["target_uuid"], r["level_number"]): r["n"]
        for r in rows
    }


def target_label(kind: str, uuid: object, number: int | None) -> str:
    key = Target(kind, uuid, number).key  # type: ignore[arg-type]
    return f"{kind}:{key}"


@transaction.atomic
def post_comment(
    framework: Framework, target: Target, author: AbstractBaseUser, text: str
) -> Comment:
    comment = Comment.objects.create(
        framework=framework,
        target_kind=target.kind,
        target_uuid=target.uuid,
        level_number=target.number,
        author=author,
        text=text,
    )
    transaction.on_commit(lambda: notify_owners(comment))
    return comment


def get_own_comment(user: User, pk: int) -> Comment:
    """The user's own comment that may still change, else 404."""
    comment = Comment.objects.filter(pk=pk, author_id=user.pk).first()
    if comment is None:
        raise Http404
    if comment.status != Comment.Status.NEW:
        raise PermissionDenied(_("An answered comment can no longer change."))
    return comment


def edit_comment(comment: Comment, text: str) -> None:
    comment.text = text
    comment.updated_at = timezone.now()
    comment.save(update_fields=["text", "updated_at"])


def withdraw_comment(comment: Comment) -> None:
    comment.status = Comment.Status.WITHDRAWN
    comment.updated_at = timezone.now()
    comment.save(update_fields=["status", "updated_at"])


@transaction.atomic
def moderate_comment(
    comment: Comment, action: str, answer: str, by: AbstractBaseUser
) -> None:
    """Answer, accept, reject or hide a comment; the author hears of all
    but hiding. A comment already published into a version stays as is."""
    if comment.published_in_id is not None:
        raise ValidationError(_("This comment is already part of a version."))
    if comment.status == Comment.Status.WITHDRAWN:
        raise ValidationError(_("The author has withdrawn this comment."))
    comment.status = MODERATION[action]
    if answer:
        comment.answer = answer
    comment.answered_by = by
    comment.answered_at = timezone.now()
    comment.save(update_fields=["status", "answer", "answered_by", "answered_at"])
    if action != "hide":
        transaction.on_commit(lambda: notify_author(comment))


def address_of(user: AbstractBaseUser) -> str:
    """Where to write to a login: its own address, else that of the person
    it belongs to (logins made for people have none of their own)."""
    if user.email:
        return user.email
    person = Person.objects.filter(user_id=user.pk).only("email").first()
    return person.email if person else ""


def owner_addresses() -> list[str]:
    users = get_user_model().objects.filter(
        Q(is_superuser=True)
        | Q(roles__kind__in=[Role.Kind.CATALOGUE_OWNER, Role.Kind.ADMINISTRATOR]),
        is_active=True,
    )
    emails = users.values_list("email", "person__email")
    return sorted({own or person for own, person in emails if own or person})


def thread_link(comment: Comment) -> str:
    """The comment's thread as a full address, for e-mail."""
    path = reverse(
        "catalogue:comment-thread",
        args=[comment.framework_id, comment.target_kind, comment.target.key],
    )
    return settings.SITE_URL.rstrip("/") + path


def item_of(comment: Comment) -> str:
    """What the comment is about, as 'competence "Kreativitet"': quoted,
    since an indicator's text ends with its own full stop."""
    [labelled] = label_comments([comment])
    return _("%(kind)s “%(name)s”") % {
        "kind": labelled.get_target_kind_display(),
        "name": labelled.target_name,
    }


# Mail is written in the site's language: the recipients' choice of
# language is not known in the request of whoever caused it.


def notify_owners(comment: Comment) -> None:
    addresses = owner_addresses()
    if not addresses:
        return
    with translation.override(settings.LANGUAGE_CODE):
        send_mail(
            _("New comment on %(framework)s") % {"framework": comment.framework.name},
            _("%(author)s wrote about %(item)s:\n\n%(text)s\n\nAnswer it here: %(url)s")
            % {
                "author": display_name(comment.author),
                "item": item_of(comment),
                "text": comment.text,
                "url": thread_link(comment),
            },
            None,
            addresses,
        )


def notify_author(comment: Comment) -> None:
    address = address_of(comment.author)
    if not address:
        return
    with translation.override(settings.LANGUAGE_CODE):
        send_mail(
            _("Your comment on %(framework)s: %(status)s")
            % {
                "framework": comment.framework.name,
                "status": comment.get_status_display(),
            },
            _(
                "Your comment on %(item)s:\n\n%(text)s\n\nAnswer:\n\n%(answer)s"
                "\n\nThe whole thread: %(url)s"
            )
            % {
                "item": item_of(comment),
                "text": comment.text,
                "answer": comment.answer,
                "url": thread_link(comment),
            },
            None,
            [address],
        )


def may_moderate(user: User) -> bool:
    return is_catalogue_owner(user)


def label_comments(comments: list[Comment]) -> list[Comment]:
    """Give each comment `target_name`, the name of its item in the version
    it was written on; three queries however many comments."""
    fw_ids = {c.framework_id for c in comments}
    uuids = {c.target_uuid for c in comments if c.target_uuid}
    names: dict[tuple, str] = {}
    for fw, uuid, name in Competence.objects.filter(
        framework_id__in=fw_ids, uuid__in=uuids
    ).values_list("framework_id", "uuid", "name"):
        names[(fw, Comment.Kind.COMPETENCE, uuid)] = name
    for fw, uuid, text in Indicator.objects.filter(
        framework_id__in=fw_ids, uuid__in=uuids
    ).values_list("framework_id", "uuid", "text"):
        names[(fw, Comment.Kind.INDICATOR, uuid)] = text
    for fw, number, name in Level.objects.filter(
        scale__frameworks__in=fw_ids
    ).values_list("scale__frameworks", "number", "name"):
        names[(fw, Comment.Kind.LEVEL, number)] = name
    for comment in comments:
        if comment.target_kind == Comment.Kind.FRAMEWORK:
            comment.target_name = comment.framework.name
        else:
            key = comment.target_uuid or comment.level_number
            comment.target_name = names.get(
                (comment.framework_id, comment.target_kind, key), ""
            )
    return comments


def target_name(framework: Framework, target: Target) -> str:
    """The name of the item this version has for the target; Http404 when
    the version has no such item."""
    if target.kind == Comment.Kind.FRAMEWORK:
        return framework.name
    if target.kind == Comment.Kind.LEVEL:
        names = framework.scale.levels.filter(number=target.number)
        name = names.values_list("name", flat=True).first()
    elif target.kind == Comment.Kind.COMPETENCE:
        names = framework.competences.filter(uuid=target.uuid)
        name = names.values_list("name", flat=True).first()
    else:
        names = framework.indicators.filter(uuid=target.uuid)
        name = names.values_list("text", flat=True).first()
    if name is None:
        raise Http404
    return name


def comments_csv(comments: list[Comment]) -> bytes:
    """The comments as a spreadsheet; cells are neutralised on writing."""
    header = [
        _("Id"),
        _("Framework"),
        _("Version"),
        _("About"),
        _("Item"),
        _("Author"),
        _("Written at"),
        _("Status"),
        _("Comment"),
        _("Answer"),
        _("Answered by"),
        _("Answered at"),
        _("Published in version"),
    ]
    rows = [
        [
            c.pk,
            c.framework.name,
            c.framework.version,
            c.get_target_kind_display(),
            c.target_name,
            c.author.get_username(),
            timezone.localtime(c.created_at).strftime("%Y-%m-%d %H:%M"),
            c.get_status_display(),
            c.text,
            c.answer,
            c.answered_by.get_username() if c.answered_by else "",
            timezone.localtime(c.answered_at).strftime("%Y-%m-%d %H:%M")
            if c.answered_at
            else "",
            c.published_in.version if c.published_in else "",
        ]
        for c in comments
    ]
    return csv_bytes(header, rows)
