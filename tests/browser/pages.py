"""Every page of the product, for every role, in its main states.

The list of pages comes from the URL configuration, so a new page is
checked without anyone adding it here. A page whose URL takes arguments
needs an entry in ARGUMENTS saying which object of the cast to show; a
URL that is not a page (a POST-only action, a download) goes in NOT_PAGES
with the reason. Forms with errors and other states a page can be in go
in STATES.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from playwright.sync_api import Page

from tests.browser.cast import Cast

# Namespaces that are not ours to check.
SKIPPED_NAMESPACES = {"admin": "Django's own admin, for administrators only"}

NOT_PAGES: dict[str, str] = {
    "logout": "POST only: the log-out button in the header",
    "set-language": "POST only: the language switch in the header",
    "profiles:apply-profile": "POST only: the apply button under the team grid",
    "exchange:confirm-org": "POST only: the confirm button of the import preview",
    "catalogue:withdraw-comment": "POST only: the withdraw button of a comment",
    "catalogue:moderate-comment": "POST only: the moderation buttons of the queue",
    "catalogue:export-comments": "A download: the queue's CSV of comments",
    "catalogue:start-draft": "POST only: the button that starts a new version",
    "catalogue:save-scale": "POST only: the scale form on the draft page",
    "catalogue:add-competence": "POST only: the new-competence form on the draft",
    "catalogue:move-competence": "POST only: the move buttons on the draft page",
    "catalogue:delete-competence": "POST only: the delete button on the draft",
    "catalogue:publish": "POST only: the publish button on the draft page",
    "catalogue:export": "A download: the framework as CASE JSON or Moodle CSV",
    "analysis:create-action": "POST only: the action form on the unit's plan",
    "conversations:mark-prepared": "POST only: the prepared button of a conversation",
    "conversations:private-note": "POST only: the private note form of a conversation",
    "conversations:action-status": "POST only: the done button of an action",
    "conversations:pdf": "A download: the preparation sheet or summary as PDF",
    "analysis:heatmap-csv": "A download: the heat map as CSV",
    "analysis:heatmap-xlsx": "A download: the heat map as a spreadsheet",
    "analysis:proposals-csv": "A download: the proposed actions as CSV",
    "analysis:proposals-xlsx": "A download: the proposed actions as a spreadsheet",
}

# URL name -> the arguments that show the cast's objects on that page.
ARGUMENTS: dict[str, Callable[[Cast], dict[str, object]]] = {
    "catalogue:framework-detail": lambda cast: {"pk": cast.framework.pk},
    "profiles:person": lambda cast: {"pk": cast.employee.pk},
    "profiles:edit-expectations": lambda cast: {"pk": cast.employee.pk},
    "profiles:edit-leader-assessment": lambda cast: {"pk": cast.employee.pk},
    "profiles:edit-agreed-assessment": lambda cast: {"pk": cast.employee.pk},
    "profiles:history": lambda cast: {"pk": cast.employee.pk},
    "profiles:edit-role-profile": lambda cast: {"pk": cast.role_profile.pk},
    "exchange:preview-org": lambda cast: {"pk": cast.upload.pk},
    "catalogue:comment-thread": lambda cast: {
        "pk": cast.framework.pk,
        "kind": cast.comment.target_kind,
        "key": cast.comment.target.key,
    },
    "catalogue:edit-comment": lambda cast: {"pk": cast.comment.pk},
    "catalogue:draft": lambda cast: {"pk": cast.draft.pk},
    "catalogue:edit-competence": lambda cast: {
        "pk": cast.draft.pk,
        "cpk": cast.draft_competence.pk,
    },
    "analysis:unit": lambda cast: {"pk": cast.unit.pk},
    "conversations:detail": lambda cast: {"pk": cast.conversation.pk},
    "conversations:edit": lambda cast: {"pk": cast.conversation.pk},
    "conversations:record": lambda cast: {"pk": cast.conversation.pk},
    "conversations:add-action": lambda cast: {"pk": cast.conversation.pk},
    "conversations:close": lambda cast: {"pk": cast.conversation.pk},
    "analysis:heatmap": lambda cast: {"pk": cast.unit.pk},
    # A download: the walk passes over it.
    "audit:export": lambda cast: {"file_format": "csv"},
}

WHERE_TO_ADD = (
    "In tests/browser/pages.py add each to ARGUMENTS (which object of the "
    "cast in tests/browser/cast.py to show), or to NOT_PAGES with the "
    "reason it is not a page."
)


@dataclass(frozen=True)
class Role:
    name: str
    user: Callable[[Cast], AbstractBaseUser | None]


ROLES = [
    Role("anonymous", lambda cast: None),
    Role("employee", lambda cast: cast.employee.user),
    Role("leader", lambda cast: cast.leader.user),
    Role("HR adviser", lambda cast: cast.hr_adviser.user),
    Role("catalogue owner", lambda cast: cast.catalogue_owner.user),
    Role("administrator", lambda cast: cast.admin),
]
ROLE = {role.name: role for role in ROLES}


@dataclass(frozen=True)
class Route:
    name: str
    route: str
    takes_arguments: bool


def walk(
    patterns: list[URLPattern | URLResolver], prefix: str = "", namespace: str = ""
) -> Iterator[Route]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in SKIPPED_NAMESPACES:
                continue
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}{pattern.namespace}:"
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield Route(
                name=namespace + pattern.name,
                route=prefix + str(pattern.pattern),
                takes_arguments=bool(pattern.pattern.regex.groups),
            )


def routes() -> list[Route]:
    return list(walk(get_resolver().url_patterns))


def unknown_pages() -> list[str]:
    """URL names that take arguments and have no entry here."""
    return [
        route.name
        for route in routes()
        if route.takes_arguments
        and route.name not in ARGUMENTS
        and route.name not in NOT_PAGES
    ]


def page_paths(cast: Cast) -> list[tuple[str, str]]:
    """(URL name, path) of every page, in URL configuration order."""
    missing = unknown_pages()
    if missing:
        raise AssertionError(
            f"The browser tests cannot fill the URL arguments of "
            f"{', '.join(missing)}. {WHERE_TO_ADD}"
        )
    paths = []
    for route in routes():
        if route.name in NOT_PAGES:
            continue
        kwargs = ARGUMENTS[route.name](cast) if route.takes_arguments else {}
        paths.append((route.name, reverse(route.name, kwargs=kwargs)))
    return paths


def path_of(name: str, cast: Cast) -> str:
    kwargs = ARGUMENTS[name](cast) if name in ARGUMENTS else {}
    return reverse(name, kwargs=kwargs)


# What a state does to a page once it is open.
Act = Callable[[Page, Cast], None]


def submit_main_form(page: Page) -> None:
    with page.expect_navigation():
        page.locator("main form [type=submit]").last.click()


def submit_empty(page: Page, cast: Cast) -> None:
    submit_main_form(page)


def submit_wrong_password(page: Page, cast: Cast) -> None:
    page.locator("#id_username").fill(cast.employee.user.get_username())
    page.locator("#id_password").fill("not the password")
    submit_main_form(page)


def submit_too_long_note(page: Page, cast: Cast) -> None:
    # The textarea's maxlength stops typing; a forged post gets past it.
    page.locator("main textarea").evaluate("(el) => { el.value = 'x'.repeat(2001) }")
    submit_main_form(page)


def hold_in_the_future(page: Page, cast: Cast) -> None:
    page.locator("main input[type=date]").fill("2999-01-01")
    submit_main_form(page)


def tick_a_foreign_indicator(page: Page, cast: Cast) -> None:
    # An indicator of another competence, as a stale or forged form sends.
    box = page.locator("main .app-ticks input[type=checkbox]").first
    box.evaluate("(el) => { el.value = '999999'; el.checked = true; }")
    submit_main_form(page)


def save_first_level(page: Page, cast: Cast) -> None:
    page.locator("main select").first.select_option("4")
    submit_main_form(page)


def post_form(form: str, change: str = "") -> Act:
    """Send the form matching this selector once the script `change` has
    altered it (`form` is the element), past the browser's own checks, as
    a browser without them or a forged request would."""

    def act(page: Page, cast: Cast) -> None:
        with page.expect_navigation():
            page.locator(form).first.evaluate(
                f"(form) => {{ {change}; form.submit(); }}"
            )

    return act


def upload_broken_framework(page: Page, cast: Cast) -> None:
    broken = {"name": "broken.json", "mimeType": "application/json", "buffer": b"{"}
    page.locator("main input[type=file]").set_input_files(broken)  # type: ignore[arg-type]
    submit_main_form(page)


def settle(page: Page) -> None:
    """Wait until htmx has put its answer in place."""
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    )


def open_first_thread(page: Page, cast: Cast) -> None:
    page.locator("main .app-comments a").first.click()
    page.locator("main .app-thread textarea").first.wait_for()
    settle(page)


def edit_comment_in_place(page: Page, cast: Cast) -> None:
    page.locator(f"main #comment-{cast.comment.pk} a[hx-get]").first.click()
    page.locator(f"main #comment-{cast.comment.pk} textarea").wait_for()
    settle(page)


def tick_first_indicator(page: Page, cast: Cast) -> None:
    with page.expect_response(lambda response: "suggest=" in response.url):
        page.locator("main .app-ticks input[type=checkbox]").first.check()
    settle(page)


def save_grid_in_place(page: Page, cast: Cast) -> None:
    # The team grid saves with htmx: the grid is swapped in, no navigation.
    page.locator("#team-expectations select").first.select_option("4")
    page.locator("#save-expectations").click()
    page.locator("#grid-status .pkt-alert").wait_for()


# What shows that a state was reached.
ERRORS = ".errorlist, [role=alert]"
# Saved, or (the second time round) nothing changed.
SAVED = "[role=status] .pkt-alert"


@dataclass(frozen=True)
class State:
    name: str
    role: str
    url_name: str
    act: Act
    shows: str


STATES = [
    State("login, empty form", "anonymous", "login", submit_empty, ERRORS),
    State("login, wrong password", "anonymous", "login", submit_wrong_password, ERRORS),
    State(
        "self-assessment, error",
        "employee",
        "profiles:me",
        submit_too_long_note,
        ERRORS,
    ),
    State(
        "self-assessment, indicator refused",
        "employee",
        "profiles:me",
        tick_a_foreign_indicator,
        ERRORS,
    ),
    State("self-assessment, saved", "employee", "profiles:me", save_first_level, SAVED),
    State(
        "expectations, error",
        "leader",
        "profiles:edit-expectations",
        submit_too_long_note,
        ERRORS,
    ),
    State(
        "expectations, saved",
        "leader",
        "profiles:edit-expectations",
        save_first_level,
        SAVED,
    ),
    State(
        "team grid, saved in place",
        "leader",
        "profiles:team-expectations",
        save_grid_in_place,
        SAVED,
    ),
    State(
        "conversation record, error",
        "leader",
        "conversations:record",
        hold_in_the_future,
        ERRORS,
    ),
    State(
        "conversation action, error",
        "leader",
        "conversations:add-action",
        submit_empty,
        ERRORS,
    ),
    State(
        "leader assessment, error",
        "leader",
        "profiles:edit-leader-assessment",
        submit_too_long_note,
        ERRORS,
    ),
    State(
        "team expectations, error",
        "leader",
        "profiles:team-expectations",
        post_form("#team-expectations", "form.elements.note.value = 'x'.repeat(2001)"),
        ERRORS,
    ),
    State(
        "new role profile, error",
        "leader",
        "profiles:create-role-profile",
        submit_empty,
        ERRORS,
    ),
    State(
        "new conversation, error",
        "leader",
        "conversations:create",
        submit_empty,
        ERRORS,
    ),
    State(
        "organisation import, error",
        "administrator",
        "exchange:upload-org",
        submit_empty,
        ERRORS,
    ),
    State(
        "access log filter, error",
        "administrator",
        "audit:log",
        post_form(
            "main form",
            "form.elements.date_from.value = '2026-02-01';"
            "form.elements.date_to.value = '2026-01-01'",
        ),
        ERRORS,
    ),
    State(
        "framework import, error",
        "catalogue owner",
        "catalogue:import",
        post_form("main form.app-form-grid"),
        ERRORS,
    ),
    State(
        "framework import, broken file",
        "catalogue owner",
        "catalogue:import",
        upload_broken_framework,
        ERRORS,
    ),
    State(
        "draft, error",
        "catalogue owner",
        "catalogue:draft",
        post_form("main form.app-form-grid", "form.elements.name.value = ''"),
        ERRORS,
    ),
    State(
        "draft scale, error",
        "catalogue owner",
        "catalogue:draft",
        post_form(
            "main form[action$='/scale/']", "form.elements.new_number.value = 999"
        ),
        ERRORS,
    ),
    State(
        "draft new competence, error",
        "catalogue owner",
        "catalogue:draft",
        post_form("main form[action$='/competences/']"),
        ERRORS,
    ),
    State(
        "competence edit, error",
        "catalogue owner",
        "catalogue:edit-competence",
        post_form("main form", "form.elements.name.value = ''"),
        ERRORS,
    ),
    State(
        "comment, error",
        "employee",
        "catalogue:comment-thread",
        post_form("main .app-thread > form"),
        ERRORS,
    ),
    State(
        "catalogue, comments opened in place",
        "employee",
        "catalogue:framework-detail",
        open_first_thread,
        "main .app-thread",
    ),
    State(
        "comments, editing in place",
        "employee",
        "catalogue:comment-thread",
        edit_comment_in_place,
        "main .app-comment textarea",
    ),
    State(
        "self-assessment, indicator ticked",
        "employee",
        "profiles:me",
        tick_first_indicator,
        "main .app-suggestion",
    ),
    State(
        "comment edit, error",
        "employee",
        "catalogue:edit-comment",
        post_form("main form", "form.elements.text.value = ''"),
        ERRORS,
    ),
]
