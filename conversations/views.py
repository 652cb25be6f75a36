from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.log import record
from audit.models import AccessLog
from catalogue.models import chosen_framework, competences_of
from conversations import rules
from conversations.access import (
    get_changeable_action,
    get_changeable_conversation,
    get_visible_conversation,
)
from conversations.calendar import calendar
from conversations.forms import (
    ActionForm,
    ActionStatusForm,
    ConversationForm,
    PrivateNoteForm,
    RecordForm,
)
from conversations.models import Action, Conversation
from conversations.overview import (
    flag,
    led_conversations,
    open_actions_in_scope,
    own_conversations,
    without_conversation,
)
from conversations.pdf import PdfUnavailable, sheet_pdf
from conversations.preparation import build_sheet
from kompetanse.downloads import download
from kompetanse.ids import parse_id
from organisation.models import Person
from organisation.scope import (
    changeable_people,
    get_changeable_person,
    may_change,
    scope_of,
)
from profiles.views import current_initial, report_history

PAGE_SIZE = 50
# People offered in the plan form's list; one chosen by a link is added.
PLAN_CHOICES = 500
ACTIONS_SHOWN = 50
DUE_SHOWN = 20


@require_GET
def conversation_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    led = Paginator(led_conversations(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [(c, flag(timezone.localdate(c.planned_at), today)) for c in led]
    actions = open_actions_in_scope(request.user)
    shown = [(a, flag(a.due_on, today)) for a in actions[:ACTIONS_SHOWN]]
    due = without_conversation(request.user, today)
    due_shown = list(due[:DUE_SHOWN])

    record(request.user, [c.person for c in led], AccessLog.Action.READ_TEAM)
    return render(
        request,
        "conversations/index.html",
        {
            "page": led,
            "rows": rows,
            "actions": shown,
            "more_actions": len(shown) == ACTIONS_SHOWN,
            "due": due_shown,
            "due_count": due.count(),
            "own": own_conversations(request.user)[:20],
            "may_plan": changeable_people(request.user).active().exists(),
        },
    )


@require_http_methods(["GET", "POST"])
def create_conversation(request: HttpRequest) -> HttpResponse:
    chosen = parse_id(request.POST.get("person") or request.GET.get("person"))
    person = None
    if request.method == "POST" and request.POST.get("person"):
        # Through the gate before anything else: 404 outside scope, 403
        # for someone only visible. Nobody chosen is the form's error to
        # show, not a missing page.
        person = get_changeable_person(request.user, chosen or 0)
    initial = {"person": request.GET.get("person")}
    form = ConversationForm(
        request.POST or None, people=plan_choices(request, chosen), initial=initial
    )

    if person is not None and form.is_valid():
        try:
            conversation = rules.plan_conversation(
                person,
                by=request.user,
                kind=form.cleaned_data["kind"],
                planned_at=form.cleaned_data["planned_at"],
                participants=form.cleaned_data["participants"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The conversation is planned."))
            return redirect("conversations:detail", pk=conversation.pk)
    return render(
        request,
        "conversations/form.html",
        {"form": form, "title": _("Plan a conversation")},
        status=400 if form.errors else 200,
    )


def plan_choices(request: HttpRequest, chosen: int | None) -> list[Person]:
    """The first people by name the user may plan with, and the one chosen
    (by a link or the form) among them even when beyond the first."""
    people = (
        changeable_people(request.user)
        .active()
        .select_related("unit")
        .order_by("last_name", "first_name", "pk")
    )
    choices = list(people[:PLAN_CHOICES])
    if chosen is not None and all(person.pk != chosen for person in choices):
        choices += list(people.filter(pk=chosen))
    return choices


@require_GET
def conversation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = get_visible_conversation(request.user, pk)
    framework = chosen_framework(request.GET.get("framework"))
    changeable = may_change(request.user, conversation.person)

    sheet = build_sheet(
        conversation,
        competences_of(framework),
        request.user if changeable else None,
    )
    record(request.user, [conversation.person], AccessLog.Action.READ_PROFILE)
    note = sheet.private_note
    return render(
        request,
        "conversations/detail.html",
        {
            "conversation": conversation,
            "framework": framework,
            "sheet": sheet,
            "changeable": changeable,
            "own": conversation.person.user_id == request.user.pk,
            "note_form": PrivateNoteForm(initial={"text": note.text if note else ""}),
        },
    )


@require_http_methods(["GET", "POST"])
def edit_conversation(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = get_changeable_conversation(request.user, pk)
    if conversation.is_closed:
        return refuse_closed(request, conversation)
    form = ConversationForm(
        request.POST or None,
        initial={
            "kind": conversation.kind,
            "planned_at": timezone.localtime(conversation.planned_at),
            "participants": conversation.participants,
        },
    )

    if request.method == "POST" and form.is_valid():
        try:
            changed = rules.change_plan(conversation, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The conversation is changed."))
            warn_early_actions(request, changed)
            return redirect("conversations:detail", pk=conversation.pk)
    return render(
        request,
        "conversations/form.html",
        {
            "form": form,
            "conversation": conversation,
            "title": _("Change the conversation with %(name)s")
            % {"name": conversation.person.full_name},
        },
        status=400 if form.errors else 200,
    )


def warn_early_actions(request: HttpRequest, conversation: Conversation) -> None:
    """A conversation moved later than the due date of its open actions is
    allowed (it was put off), but the leader is told, since an action is
    otherwise never due before its conversation."""
    early = conversation.actions.filter(
        status=Action.Status.OPEN, due_on__lt=conversation.date
    ).count()
    if early:
        text = ngettext(
            "%(count)s open action is due before the conversation; "
            "consider its due date.",
            "%(count)s open actions are due before the conversation; "
            "consider their due dates.",
            early,
        )
        messages.warning(request, text % {"count": early})


@require_POST
def mark_prepared(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = get_changeable_conversation(request.user, pk)

    if run(request, lambda: rules.mark_prepared(conversation)):
        messages.success(request, _("Marked as prepared."))
    return redirect("conversations:detail", pk=conversation.pk)


@require_http_methods(["GET", "POST"])
def record_conversation(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = get_changeable_conversation(request.user, pk)
    if conversation.is_closed:
        return refuse_closed(request, conversation)
    person = conversation.person
    framework = chosen_framework(request.GET.get("framework"))
    agreed = current_initial(person.assessments.filter(kind="agreed"), person)
    form = RecordForm(
        request.POST or None,
        competences=competences_of(framework),
        initial=agreed
        | {
            "held_on": conversation.held_on or min_today(conversation),
            "note": conversation.notes,
        },
    )

    if request.method == "POST" and form.is_valid():
        try:
            rows = rules.record_conversation(
                conversation,
                by=request.user,
                held_on=form.cleaned_data["held_on"],
                levels=form.levels(),
                notes=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            record(request.user, [person], AccessLog.Action.CHANGE_ASSESSMENT)
            messages.success(request, _("The conversation is recorded as held."))
            report_history(request, rows)
            return redirect("conversations:detail", pk=conversation.pk)
    record(request.user, [person], AccessLog.Action.READ_PROFILE)
    return render(
        request,
        "conversations/record.html",
        {"form": form, "conversation": conversation, "framework": framework},
        status=400 if form.errors else 200,
    )


def min_today(conversation: Conversation):  # type: ignore[no-untyped-def]
    """The planned day, or today if that is still ahead."""
    return min(timezone.localdate(conversation.planned_at), timezone.localdate())


@require_http_methods(["GET", "POST"])
def add_action(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = get_changeable_conversation(request.user, pk)
    if conversation.is_closed:
        return refuse_closed(request, conversation)
    competences = competences_of(chosen_framework(request.GET.get("framework")))
    form = ActionForm(request.POST or None, competences=competences)

    if request.method == "POST" and form.is_valid():
        owner = owner_of(request, conversation, form.cleaned_data["owner"])
        if owner is None:
            form.add_error("owner", _("The employee has no login to own an action."))
        else:
            try:
                rules.add_action(
                    conversation,
                    by=request.user,
                    form=form.cleaned_data["form"],
                    competence=form.chosen_competence(),
                    description=form.cleaned_data["description"],
                    owner=owner,
                    due_on=form.cleaned_data["due_on"],
                )
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, _("The action is added."))
                return redirect("conversations:detail", pk=conversation.pk)
    return render(
        request,
        "conversations/action_form.html",
        {"form": form, "conversation": conversation},
        status=400 if form.errors else 200,
    )


def owner_of(request: HttpRequest, conversation: Conversation, choice: str):  # type: ignore[no-untyped-def]
    if choice == "leader":
        return request.user
    return conversation.person.user


@require_POST
def action_status(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_changeable_action(request.user, pk)
    form = ActionStatusForm(request.POST)

    if not form.is_valid():
        messages.error(request, _("Choose a valid status."))
    elif run(
        request,
        lambda: rules.set_action_status(action, form.cleaned_data["status"]),
    ):
        messages.success(request, _("The action is updated."))
    back = sheet_of(request, action, form)
    if back is not None:
        return redirect("conversations:detail", pk=back)
    return redirect("conversations:list")


def sheet_of(
    request: HttpRequest, action: Action, form: ActionStatusForm
) -> int | None:
    """The conversation to go back to: the one whose sheet the form names,
    if the user sees it and it is about the action's person; else the
    action's own."""
    form.is_valid()  # cleaned_data holds the fields that are valid
    pk = form.cleaned_data.get("back")
    if pk is not None and action.person_id is not None:
        visible = scope_of(request.user).visible().values("pk")
        if Conversation.objects.filter(
            pk=pk, person_id=action.person_id, person__in=visible
        ).exists():
            return pk
    return action.conversation_id


@require_POST
def save_private_note(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = get_changeable_conversation(request.user, pk)
    form = PrivateNoteForm(request.POST)

    if not form.is_valid():
        messages.error(request, _("The private note is too long."))
    elif run(
        request,
        lambda: rules.save_private_note(
            conversation, request.user, form.cleaned_data["text"]
        ),
    ):
        messages.success(request, _("Your private note is saved."))
    return redirect("conversations:detail", pk=conversation.pk)


@require_http_methods(["GET", "POST"])
def close_conversation(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = get_changeable_conversation(request.user, pk)
    if conversation.is_closed:
        return refuse_closed(request, conversation)

    if request.method == "POST":
        if run(request, lambda: rules.close_conversation(conversation)):
            messages.success(request, _("The conversation is followed up and closed."))
        return redirect("conversations:detail", pk=conversation.pk)
    return render(request, "conversations/close.html", {"conversation": conversation})


@require_GET
def conversation_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = get_visible_conversation(request.user, pk)
    framework = chosen_framework(request.GET.get("framework"))

    sheet = build_sheet(conversation, competences_of(framework), None)
    title = sheet_title(conversation)
    try:
        content = sheet_pdf(sheet, title)
    except PdfUnavailable:
        return render(request, "conversations/pdf_missing.html", status=503)
    record(request.user, [conversation.person], AccessLog.Action.EXPORT, "pdf")
    # Named in the reader's language, as the other downloads are.
    stem = f"{Conversation._meta.verbose_name}-{conversation.pk}"
    return download(content, "application/pdf", stem, "pdf")


def sheet_title(conversation: Conversation) -> str:
    if conversation.is_open:
        text = _("Preparation: %(kind)s with %(name)s")
    else:
        text = _("Summary: %(kind)s with %(name)s")
    return text % {
        "kind": conversation.get_kind_display(),
        "name": conversation.person.full_name,
    }


@require_GET
def conversation_calendar(request: HttpRequest) -> HttpResponse:
    # The meetings the user holds, not everyone's in their area: a top
    # leader's calendar is not the whole municipality's.
    planned = [
        c
        for c in led_conversations(request.user).filter(
            leader=request.user,
            status__in=[Conversation.Status.PLANNED, Conversation.Status.PREPARED],
        )[:1000]
    ]
    planned += [c for c in own_conversations(request.user) if c.is_open]

    titles = dict(Conversation.Kind.choices)
    content = calendar(planned, host=request.get_host(), titles=titles)
    record(request.user, {c.person for c in planned}, AccessLog.Action.EXPORT, "ics")
    stem = str(Conversation._meta.verbose_name_plural)
    return download(content, "text/calendar; charset=utf-8", stem, "ics")


def refuse_closed(request: HttpRequest, conversation: Conversation) -> HttpResponse:
    messages.error(request, rules.closed_message())
    return redirect("conversations:detail", pk=conversation.pk)


def run(request: HttpRequest, change) -> bool:  # type: ignore[no-untyped-def]
    """Run a rule; report a refusal as an error message."""
    try:
        change()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return False
    return True
