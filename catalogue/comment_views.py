"""Comment threads, editing, moderation and the moderation queue.

Each view serves a whole page, and the named partial of it when htmx
asks; every form also posts without JavaScript and then redirects.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
)

from catalogue import comments as rules
from catalogue.forms import CommentForm, ModerationForm, QueueFilterForm
from catalogue.models import Comment, Framework, Target
from exchange.spreadsheet import CSV_CONTENT_TYPE
from kompetanse.downloads import download

QUEUE_LIMIT = 200


def readable_framework(request: HttpRequest, pk: int, *, owner: bool) -> Framework:
    """A version the user may read: drafts only for catalogue owners."""
    frameworks = Framework.objects.select_related("scale")
    if not owner:
        frameworks = frameworks.exclude(status=Framework.Status.DRAFT)
    return get_object_or_404(frameworks, pk=pk)


def thread_url(comment: Comment) -> str:
    return reverse(
        "catalogue:comment-thread",
        args=[comment.framework_id, comment.target_kind, comment.target.key],
    )


@require_http_methods(["GET", "POST"])
def comment_thread(request: HttpRequest, pk: int, kind: str, key: str) -> HttpResponse:
    owner = rules.may_moderate(request.user)
    framework = readable_framework(request, pk, owner=owner)
    target = Target.parse(kind, key)
    if target is None:
        return HttpResponse(status=404)
    name = rules.target_name(framework, target)
    # Several threads may be open on one page; their fields need own ids.
    auto_id = f"{target.kind}-{target.key}-%s"
    form = CommentForm(request.POST or None, auto_id=auto_id)

    if request.method == "POST" and form.is_valid():
        rules.post_comment(framework, target, request.user, form.cleaned_data["text"])
        if not request.htmx:
            return redirect(request.path)
        form = CommentForm(auto_id=auto_id)
    return render_thread(request, framework, target, name, form, owner=owner)


def render_thread(
    request: HttpRequest,
    framework: Framework,
    target: Target,
    name: str,
    form: CommentForm,
    *,
    owner: bool,
) -> HttpResponse:
    comments = rules.visible_comments(request.user, owner=owner).on_item(
        framework.uuid, target
    )
    template = "catalogue/thread.html"
    if request.htmx:
        template += "#thread"
    return render(
        request,
        template,
        {
            "framework": framework,
            "target": target,
            "target_name": name,
            "target_kind_label": Comment.Kind(target.kind).label,
            "comments": comments.select_related("answered_by__person", "published_in"),
            "form": form,
            "owner": owner,
        },
        # htmx swaps only successful answers; the errors show in the form.
        status=400 if form.errors and not request.htmx else 200,
    )


def render_comment(
    request: HttpRequest, comment: Comment, error: str = ""
) -> HttpResponse:
    """One comment as a fragment for htmx, else back to its thread (or to
    the page named by `next`, such as the queue). htmx swaps only
    successful answers, so a refusal comes back as the fragment with the
    reason in it."""
    if request.htmx:
        return render(
            request,
            "catalogue/thread.html#comment",
            {
                "comment": comment,
                "owner": rules.may_moderate(request.user),
                "moderation_error": error,
                "swapped": True,
            },
        )
    if error:
        return render(request, "400.html", {"message": error}, status=400)
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(thread_url(comment))


@require_http_methods(["GET", "POST"])
def edit_comment(request: HttpRequest, pk: int) -> HttpResponse:
    comment = rules.get_own_comment(request.user, pk)
    form = CommentForm(request.POST or None, initial={"text": comment.text})

    if request.method == "POST" and form.is_valid():
        rules.edit_comment(comment, form.cleaned_data["text"])
        return render_comment(request, comment)
    template = "catalogue/comment_edit.html"
    if request.htmx:
        template += "#edit-form"
    return render(
        request,
        template,
        {"comment": comment, "form": form, "thread_url": thread_url(comment)},
        # htmx swaps the form back in with its errors only on a 200.
        status=400 if form.errors and not request.htmx else 200,
    )


@require_POST
def withdraw_comment(request: HttpRequest, pk: int) -> HttpResponse:
    comment = rules.get_own_comment(request.user, pk)

    rules.withdraw_comment(comment)
    return render_comment(request, comment)


@require_POST
def moderate_comment(request: HttpRequest, pk: int) -> HttpResponse:
    if not rules.may_moderate(request.user):
        raise PermissionDenied
    comment = get_object_or_404(
        Comment.objects.select_related("author__person", "answered_by__person"),
        pk=pk,
    )
    form = ModerationForm(request.POST)
    if not form.is_valid():
        errors = " ".join(e for errors in form.errors.values() for e in errors)
        return render_comment(request, comment, errors)

    try:
        rules.moderate_comment(
            comment,
            form.cleaned_data["action"],
            form.cleaned_data["answer"],
            request.user,
        )
    except ValidationError as exc:
        return render_comment(request, comment, " ".join(exc.messages))
    return render_comment(request, comment)


def queue_comments(
    request: HttpRequest, limit: int | None = None
) -> tuple[QueueFilterForm, list[Comment]]:
    if not rules.may_moderate(request.user):
        raise PermissionDenied
    form = QueueFilterForm(request.GET, frameworks=Framework.objects.all())
    comments = form.filter(
        Comment.objects.select_related(
            "author__person", "framework", "answered_by__person", "published_in"
        ).order_by("-created_at", "-pk")
    )
    return form, rules.label_comments(list(comments[:limit]))


@require_GET
def comment_queue(request: HttpRequest) -> HttpResponse:
    form, comments = queue_comments(request, QUEUE_LIMIT)

    template = "catalogue/comment_queue.html"
    if request.htmx:
        template += "#results"
    return render(
        request,
        template,
        {
            "filter_form": form,
            "comments": comments,
            "owner": True,
            "limit": QUEUE_LIMIT,
        },
    )


@require_GET
def export_comments(request: HttpRequest) -> HttpResponse:
    _form, comments = queue_comments(request)

    return download(rules.comments_csv(comments), CSV_CONTENT_TYPE, "comments", "csv")
