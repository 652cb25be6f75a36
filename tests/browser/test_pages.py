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

from django.test import SimpleTestCase

from tests.browser.base import LANGUAGES, BrowserTestCase, Violation
from tests.browser.pages import (
    ROLE,
    ROLES,
    STATES,
    WHERE_TO_ADD,
    Role,
    page_paths,
    path_of,
    unknown_pages,
)


class PageListTests(SimpleTestCase):
    def test_every_page_with_arguments_is_known(self):
        self.assertEqual(unknown_pages(), [], f"Add them in {WHERE_TO_ADD}.")


class EveryPageTests(BrowserTestCase):
    def check(self, where: str, language: str) -> list[Violation]:
        violations = self.axe(where) + self.reflow(where)
        if language != self.cast.framework.language:
            violations += self.language_of_parts(where)
        return violations

    def check_pages(self, role: Role) -> list[Violation]:
        violations = []
        checked = set()
        for language in LANGUAGES:
            self.log_in(role.user(self.cast), language)
            for name, path in page_paths(self.cast):
                response = self.page.goto(self.url(path))
                assert response is not None
                if response.status == 405:
                    continue  # Not a page: an action that only takes a POST.
                # Pages that redirect (to the login page, home to the team)
                # are checked once where they land; an error page once.
                place = self.page.url.split("?")[0]
                if response.status >= 400:
                    place = "error page"
                landed = (place, response.status, language)
                if landed in checked:
                    continue
                checked.add(landed)
                where = f"{role.name}, {language}, {name} {path} ({response.status})"
                violations += self.check(where, language)
        return violations

    def test_anonymous_pages_pass(self):
        self.assert_no_violations(self.check_pages(ROLE["anonymous"]))

    def test_employee_pages_pass(self):
        self.assert_no_violations(self.check_pages(ROLE["employee"]))

    def test_leader_pages_pass(self):
        self.assert_no_violations(self.check_pages(ROLE["leader"]))

    def test_hr_adviser_pages_pass(self):
        self.assert_no_violations(self.check_pages(ROLE["HR adviser"]))

    def test_catalogue_owner_pages_pass(self):
        self.assert_no_violations(self.check_pages(ROLE["catalogue owner"]))

    def test_administrator_pages_pass(self):
        self.assert_no_violations(self.check_pages(ROLE["administrator"]))

    def test_every_role_is_checked(self):
        tested = {name for name in dir(self) if name.endswith("_pages_pass")}

        expected = {
            f"test_{role.name.lower().replace(' ', '_')}_pages_pass" for role in ROLES
        }
        self.assertEqual(tested, expected)

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
                violations += self.check(
                    f"{state.role}, {language}, {state.name}", language
                )
        self.assert_no_violations(violations)
