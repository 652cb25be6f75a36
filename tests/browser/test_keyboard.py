"""The main tasks can be done with the keyboard alone, focus always seen.

No clicks and no direct fills: only Tab, Shift+Tab, arrow keys, Enter,
Space and typed text.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from catalogue.models import Comment, Competence
from organisation.models import OrgUnit
from profiles.models import Assessment, Expectation, ProfileAssignment
from tests.browser.base import BrowserTestCase
from tests.browser.keyboard import choose, focused, press, tab_to
from tests.browser.pages import path_of


def level_label(competence: Competence) -> str:
    """The self-assessment's label of a competence's level select."""
    label = _('Your level in <span lang="%(lang)s">%(name)s</span>')
    return strip_tags(label % {"lang": "nb", "name": competence.name})


class KeyboardTests(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        # The UI is bokmål; labels are looked up as the page shows them.
        translation.activate("nb")
        self.addCleanup(translation.deactivate)

    def log_in_by_keyboard(self, username: str) -> None:
        self.log_in(None)
        self.page.goto(self.url("/login/"))
        # The user name field takes focus when the page opens; the browser
        # may do that a moment after the load event, so wait for it rather
        # than type into nothing.
        self.page.wait_for_function(
            "() => document.activeElement && document.activeElement.name === 'username'"
        )
        self.page.keyboard.type(username)
        press(self.page, "Tab")
        self.page.keyboard.type("pw")
        press(self.page, "Enter", navigates=True)
        self.assertNotIn("/login/", self.page.url, "the keyboard login failed")

    def wait_for_focus_in_main(self) -> None:
        """htmx focuses an autofocus element of swapped content when it
        settles, a moment after the swap; wait for that (or time out)."""
        self.page.wait_for_function(
            "() => document.activeElement && document.activeElement.closest('main')"
            " && document.activeElement.id !== 'main'",
            timeout=5000,
        )

    def test_leader_sets_an_expectation_by_keyboard(self):
        employee, first = self.cast.employee, self.cast.competences[0]
        self.log_in_by_keyboard(self.cast.leader.user.get_username())

        self.assertEqual(tab_to(self.page, _("Skip to main content"))["tag"], "a")
        press(self.page, "Enter")
        self.assertEqual(focused(self.page)["tag"], "main")
        tab_to(self.page, employee.full_name)
        press(self.page, "Enter", navigates=True)
        tab_to(self.page, _("Set expected levels"))
        press(self.page, "Enter", navigates=True)
        tab_to(self.page, first.name)
        self.assertEqual(choose(self.page, 1), "4")
        tab_to(self.page, _("Save"))
        press(self.page, "Enter", navigates=True)

        self.assertEqual(
            Expectation.objects.current().get(person=employee, competence=first).level,
            4,
        )
        self.assertIn(f"/people/{employee.pk}/", self.page.url)

    def test_leader_sets_team_levels_and_applies_a_profile_by_keyboard(self):
        colleague, first = self.cast.colleague, self.cast.competences[0]
        profile = self.cast.role_profile
        self.log_in_by_keyboard(self.cast.leader.user.get_username())
        self.page.goto(self.url(reverse("profiles:team-expectations")))
        cell = _("Expected level in %(competence)s for %(name)s") % {
            "competence": first.name,
            "name": colleague.full_name,
        }

        tab_to(self.page, cell)
        self.assertEqual(choose(self.page, 2), "2")
        tab_to(self.page, _("Save expected levels"))
        # The grid saves in place: no navigation, and focus stays on the
        # button in the grid swapped in.
        press(self.page, "Enter")
        saved = ngettext("Saved %(count)s change.", "Saved %(count)s changes.", 1)
        self.page.locator("#grid-status").get_by_text(saved % {"count": 1}).wait_for()
        self.assertTrue(
            focused(self.page)["text"].startswith(_("Save expected levels"))
        )
        tab_to(
            self.page,
            _("Choose %(name)s") % {"name": colleague.full_name},
            backwards=True,
        )
        press(self.page, "Space")
        tab_to(self.page, _("Role profile"))
        self.assertEqual(choose(self.page, 1), str(profile.pk))
        tab_to(self.page, _("Apply to the people ticked"))
        press(self.page, "Enter", navigates=True)

        self.assertEqual(
            Expectation.objects.current().get(person=colleague, competence=first).level,
            2,
        )
        self.assertEqual(
            ProfileAssignment.objects.get(person=colleague).profile, profile
        )

    def test_employee_self_assesses_by_keyboard(self):
        employee = self.cast.employee
        first, last = self.cast.competences[0], self.cast.competences[-1]
        self.log_in_by_keyboard(employee.user.get_username())

        # Tab passes the first competence's indicators on the way.
        tab_to(self.page, level_label(first))
        self.assertEqual(choose(self.page, 1), "2")
        tab_to(self.page, _("Note (optional)"))
        self.page.keyboard.type("Etter samtalen")
        tab_to(self.page, level_label(last), backwards=True)
        self.assertEqual(choose(self.page, 2), "2")
        tab_to(self.page, _("Save self-assessment"))
        press(self.page, "Space", navigates=True)

        current = Assessment.objects.current().filter(person=employee, kind="self")
        levels = dict(current.values_list("competence", "level"))
        self.assertEqual(levels[first.pk], 2)
        self.assertEqual(levels[last.pk], 2)
        self.assertEqual(current.get(competence=first).note, "Etter samtalen")

    def test_employee_comments_on_a_description_by_keyboard(self):
        framework, first = self.cast.framework, self.cast.competences[0]
        self.log_in_by_keyboard(self.cast.employee.user.get_username())
        # A keyboard user reaches the catalogue by its address like anyone.
        self.page.goto(self.url(path_of("catalogue:framework-detail", self.cast)))

        # Only the first competence has a comment (the employee's) so far.
        count = ngettext("Comments (%(counter)s)", "Comments (%(counter)s)", 1)
        self.assertIn(first.name, tab_to(self.page, count % {"counter": 1})["text"])
        press(self.page, "Enter")
        # The thread opens in place; its text area appears after the link.
        self.page.locator(".app-thread textarea").wait_for()
        tab_to(self.page, _("Your comment"))
        self.page.keyboard.type("Skriv heller om samarbeid.")
        tab_to(self.page, _("Post comment"))
        press(self.page, "Enter")
        self.page.get_by_text("Skriv heller om samarbeid.").wait_for()
        # The thread is swapped in place: focus stays on the button in the
        # new thread instead of falling back to the top of the page.
        self.assertTrue(focused(self.page)["text"].startswith(_("Post comment")))

        comment = Comment.objects.filter(framework=framework).latest("pk")
        self.assertEqual(comment.text, "Skriv heller om samarbeid.")
        self.assertEqual(comment.target_uuid, first.uuid)
        self.assertEqual(comment.author, self.cast.employee.user)

    def test_employee_edits_a_comment_in_place_by_keyboard(self):
        comment = self.cast.comment
        self.log_in_by_keyboard(self.cast.employee.user.get_username())
        self.page.goto(self.url(path_of("catalogue:comment-thread", self.cast)))

        tab_to(self.page, _("Edit"))
        press(self.page, "Enter")
        # The form is swapped in where the comment was: focus goes into it
        # instead of falling back to the top of the page. The browser may
        # focus it before htmx has taken the form up; a person is never
        # that fast, so wait for htmx.
        self.wait_for_focus_in_main()
        self.settle()
        self.assertEqual(focused(self.page)["tag"], "textarea")
        self.page.keyboard.press("End")
        self.page.keyboard.type(" Takk.")
        tab_to(self.page, _("Save"))
        press(self.page, "Enter")
        self.page.get_by_text("tydeligere. Takk.").wait_for()
        self.wait_for_focus_in_main()

        # The comment swapped back has focus, so its new text is read.
        self.assertIn("tydeligere. Takk.", focused(self.page)["text"])
        comment.refresh_from_db()
        self.assertEqual(comment.text, "Beskrivelsen kunne vært tydeligere. Takk.")

    def test_hr_adviser_shows_and_hides_a_units_people_by_keyboard(self):
        root = OrgUnit.objects.get(parent=None)
        self.log_in_by_keyboard(self.cast.hr_adviser.user.get_username())
        self.page.goto(self.url(reverse("analysis:heatmap", args=[root.pk])))
        button = self.page.locator("button.app-expand").first
        people = "#" + (button.get_attribute("aria-controls") or "")
        self.assertEqual(button.get_attribute("aria-expanded"), "false")

        tab_to(self.page, _("Show people"))
        press(self.page, "Enter")
        self.page.locator(f"{people} tr").first.wait_for()
        self.settle()

        # The same button, now to hide them, keeps focus and tells its state.
        self.assertEqual(button.get_attribute("aria-expanded"), "true")
        self.assertTrue(focused(self.page)["text"].startswith(_("Hide people")))
        self.assertEqual(self.axe("the heat map with a unit's people shown"), [])
        press(self.page, "Enter")
        self.page.wait_for_function(f"() => !document.querySelector('{people} tr')")
        self.settle()
        self.assertEqual(button.get_attribute("aria-expanded"), "false")
        self.assertTrue(focused(self.page)["text"].startswith(_("Show people")))

    def settle(self) -> None:
        """Wait until htmx has put its answer in place and taken it up."""
        self.page.wait_for_function(
            "() => !document.querySelector('.htmx-request, .htmx-settling')"
        )
        self.page.wait_for_timeout(50)
