"""Every page, for every role, in both languages and in its main states:

- axe-core finds no WCAG 2.1 A/AA violation (nor the structure rules in
  base.STRUCTURE_RULES);
- at 360 px the page body does not scroll sideways (WCAG 1.4.10);
- in the English UI, the framework's Norwegian text is marked lang="nb"
  (WCAG 3.1.2).

The pages come from the URL configuration (pages.py), so new pages are
checked without anyone adding them.
"""

from __future__ import annotations

from collections.abc import Callable

from django.template.loader import render_to_string
from django.test import SimpleTestCase
from django.utils import translation
from django.utils.translation import gettext as _
from playwright.sync_api import Route

from tests.browser.base import LANGUAGES, BrowserTestCase, Violation
from tests.browser.pages import (
    ERRORS,
    ROLE,
    ROLES,
    STATES,
    WHERE_TO_ADD,
    page_paths,
    path_of,
    unknown_pages,
)
from tests.factories import make_person, make_unit

# The page as markup, less what changes with every session (CSRF tokens)
# and with the address it was asked for (where to go back to).
MARKUP = """() => document.documentElement.outerHTML
  .replace(/[A-Za-z0-9]{64}/g, "")
  .replace(/name="next"( type="hidden")? value="[^"]*"/g, "")"""


def serving(markup: str) -> Callable[[Route], None]:
    """A route handler that answers with this markup."""
    return lambda route: route.fulfill(
        body=markup, content_type="text/html; charset=utf-8"
    )


class PageListTests(SimpleTestCase):
    def test_every_page_with_arguments_is_known(self):
        self.assertEqual(
            unknown_pages(),
            [],
            f"The browser tests cannot fill these URLs' arguments. {WHERE_TO_ADD}",
        )


class EveryPageTests(BrowserTestCase):
    def check(self, where: str, language: str) -> list[Violation]:
        violations = self.axe(where) + self.reflow(where)
        if language != self.cast.framework.language:
            violations += self.language_of_parts(where)
        return violations

    def test_every_page_passes_for_every_role(self):
        violations = []
        # The same markup with the same styles gives the same result: a
        # page that two roles see alike is checked once.
        seen = set()
        for role in ROLES:
            for language in LANGUAGES:
                self.log_in(role.user(self.cast), language)
                for name, path in page_paths(self.cast):
                    response = self.open_page(path)
                    if response is None:
                        continue
                    markup = self.page.evaluate(MARKUP)
                    if markup in seen:
                        continue
                    seen.add(markup)
                    where = f"{role.name}, {language}, {name} {path}"
                    where += f" ({response.status})"
                    violations += self.check(where, language)

        self.assertGreater(len(seen), len(ROLES) * len(LANGUAGES))
        self.assert_no_violations(violations)

    def test_states_pass(self):
        violations = []
        for state in STATES:
            for language in LANGUAGES:
                self.log_in(ROLE[state.role].user(self.cast), language)
                self.page.goto(self.url(path_of(state.url_name, self.cast)))
                state.act(self.page, self.cast)
                self.assertTrue(
                    self.page.locator(state.shows).count(),
                    f"{state.name}: nothing matches {state.shows!r}",
                )
                if state.shows == ERRORS:
                    # The title is what a screen reader says first.
                    with translation.override(language):
                        self.assertTrue(self.page.title().startswith(_("Error:")))
                where = f"{state.role}, {language}, {state.name}"
                violations += self.check(where, language)
        self.assert_no_violations(violations)

    def test_counted_proposals_pass(self):
        # A unit above the limit counts per child unit instead of naming.
        make_person("Ny", make_unit("Team for tjenester", self.cast.unit))
        violations = []
        with self.settings(ANALYSIS_NAMED_LIMIT=0):
            for language in LANGUAGES:
                self.log_in(ROLE["leader"].user(self.cast), language)
                self.page.goto(self.url(path_of("analysis:unit", self.cast)))
                self.assertTrue(self.page.locator("main .app-plan table").count())
                violations += self.check(f"leader, {language}, counted plan", language)
        self.assert_no_violations(violations)

    def test_server_error_page_passes(self):
        # No URL leads to it: the browser is handed its markup at an
        # address of the live server, which serves its styles.
        address = self.url("/server-error/")
        violations = []
        for language in LANGUAGES:
            with translation.override(language):
                markup = render_to_string("500.html")
            self.page.route(address, serving(markup))
            self.page.goto(address)
            self.page.unroute(address)
            violations += self.check(f"{language}, 500.html", language)
        self.assert_no_violations(violations)
