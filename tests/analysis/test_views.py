from __future__ import annotations

import re

from django.conf import settings
from django.db import connection
from django.http import QueryDict
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AccessLog
from conversations.models import Action
from organisation.models import Role
from profiles.records import record_assessments, set_expectations
from tests.factories import CastTestCase, make_framework, make_person, make_unit


class AnalysisCase(CastTestCase):
    """The cast with a gap in the team: the employee is far below what is
    expected, the colleague well above it."""

    def setUp(self) -> None:
        # The reasons are checked in English; bokmål is the default.
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        self.c = self.competences[0]
        by = self.leader.user
        set_expectations(self.employee, {self.c: 3}, by=by)
        set_expectations(self.colleague, {self.c: 3}, by=by)
        record_assessments(self.employee, "self", {self.c: 1}, by=self.employee.user)
        record_assessments(self.colleague, "leader", {self.c: 4}, by=by)

    def plan_url(self, unit) -> str:  # type: ignore[no-untyped-def]
        return reverse("analysis:unit", args=[unit.pk])

    def heatmap_url(self, unit) -> str:  # type: ignore[no-untyped-def]
        return reverse("analysis:heatmap", args=[unit.pk])

    def action_url(self, unit) -> str:  # type: ignore[no-untyped-def]
        return reverse("analysis:create-action", args=[unit.pk])


class UnitPlanTests(AnalysisCase):
    def test_leader_sees_mentor_named_for_colleague(self):
        self.login(self.leader)

        response = self.client.get(self.plan_url(self.agency))

        self.assertContains(response, "Mentor: Kollega Testesen (level 4)")
        self.assertContains(response, "can mentor Ansatt Testesen")
        self.assertContains(response, "Recruit 1 at level 3")

    def test_framework_choice_shows_the_default_framework(self):
        newer = make_framework("Aaa nyere")
        self.login(self.leader)

        response = self.client.get(self.plan_url(self.agency))

        chosen = response.context["form"]["framework"].value()
        self.assertEqual(int(chosen), self.framework.pk)
        self.assertNotEqual(int(chosen), newer.pk)
        self.assertRegex(
            response.content.decode(),
            rf'<option value="{self.framework.pk}"[^>]*selected',
        )

    def test_leader_is_not_in_own_analysis(self):
        set_expectations(self.leader, {self.c: 3}, by=self.top.user)
        self.login(self.leader)

        response = self.client.get(self.plan_url(self.agency))

        self.assertNotContains(response, self.leader.full_name)

    def test_leader_alone_in_unit_gets_nothing_to_propose(self):
        unit = make_unit("Alene", self.elsewhere)
        make_person("Eneste", unit, leads=[unit])
        self.login(unit.leaders.get())

        response = self.client.get(self.plan_url(unit))

        self.assertContains(response, "Nothing to propose")

    def test_thin_coverage_is_shown(self):
        self.login(self.leader)

        response = self.client.get(self.plan_url(self.agency))

        self.assertEqual(
            [(r.holders, r.thin) for r in response.context["coverage"]][:2],
            [(1, True), (0, True)],
        )
        self.assertContains(response, "Too few")

    def test_unit_outside_scope_is_404(self):
        self.login(self.leader)

        response = self.client.get(self.plan_url(self.elsewhere))

        self.assertEqual(response.status_code, 404)

    def test_employee_has_no_unit_to_analyse(self):
        self.login(self.employee)

        response = self.client.get(self.plan_url(self.team))

        self.assertEqual(response.status_code, 404)

    def test_hr_adviser_sees_their_subtree(self):
        Role.objects.create(user=self.outsider.user, kind="hr", unit=self.team)
        self.login(self.outsider)

        response = self.client.get(self.plan_url(self.team))

        self.assertContains(response, "Mentor: Kollega Testesen")
        self.assertNotContains(response, "Make it an action")

    def test_wrong_method_is_405(self):
        self.login(self.leader)

        response = self.client.post(self.plan_url(self.agency))

        self.assertEqual(response.status_code, 405)

    def test_same_query_count_for_small_and_large_subtree(self):
        self.login(self.sub_leader)
        with CaptureQueriesContext(connection) as small:
            self.client.get(self.plan_url(self.team))
        for number in range(5):
            make_person(f"Ny{number}", make_unit(f"Enhet {number}", self.agency))
        Action.objects.create(
            kind="recruit",
            competence=self.c,
            unit=self.agency,
            description="x",
            owner=self.top.user,
        )
        self.login(self.top)

        with self.assertNumQueries(len(small.captured_queries)):
            self.client.get(self.plan_url(self.root))


class FilterTests(AnalysisCase):
    def test_an_unpublished_framework_says_so_and_keeps_the_kind(self):
        self.login(self.leader)

        response = self.client.get(
            self.heatmap_url(self.team), {"framework": "999999", "kind": "leader"}
        )

        self.assertEqual(response.context["form"].chosen_kind(), "leader")
        self.assertEqual(response.context["framework"], self.framework)
        self.assertContains(response, "That framework is not published")
        [employee_row, _, _] = response.context["person_rows"]
        self.assertIsNone(employee_row.cells[0].standing.current)

    def test_an_unknown_assessment_kind_says_so(self):
        self.login(self.leader)

        response = self.client.get(self.plan_url(self.agency), {"kind": "bogus"})

        self.assertContains(response, "There is no such kind of assessment")
        self.assertEqual(response.context["form"].chosen_kind(), "")
        self.assertNotIn("kind=", response.context["query"])

    def test_every_link_keeps_the_filters(self):
        self.login(self.sub_leader)
        self.team.leaders.add(self.leader)  # so the team has a unit above

        for url in (self.plan_url(self.team), self.heatmap_url(self.team)):
            with self.subTest(url=url):
                response = self.client.get(url, {"kind": "self"})

                html = response.content.decode()
                links = re.findall(r'href="(/analysis/units/[^"]*)"', html)
                self.assertTrue(links)
                for link in links:
                    self.assertIn("kind=self", link)


@override_settings(ANALYSIS_NAMED_LIMIT=2)
class LargeUnitPlanTests(AnalysisCase):
    """Above the limit the page counts per child unit and names nobody."""

    def test_counts_per_child_unit_with_links_and_no_names(self):
        self.login(self.leader)

        response = self.client.get(self.plan_url(self.agency))

        [tally] = [t for t in response.context["tallies"] if t.competence == self.c]
        by_unit = {row.unit: row.tally for row in tally.rows}
        team = by_unit[self.team]
        # The employee (1 of 3) is to develop; the colleague (4) can mentor.
        self.assertEqual((team.learners, team.mentors, team.unassessed), (1, 1, 0))
        self.assertEqual((tally.total.learners, tally.total.holders), (1, 1))
        self.assertEqual(
            (tally.total.recruit.level, tally.total.recruit.shortfall), (3, 1)
        )
        self.assertContains(response, f'href="{self.plan_url(self.team)}?')
        self.assertContains(response, "1 at level 3")
        self.assertNotContains(response, self.employee.full_name)
        self.assertNotContains(response, self.colleague.full_name)

    def test_someone_with_only_a_level_can_mentor(self):
        record_assessments(self.sub_leader, "agreed", {self.c: 4}, by=self.leader.user)
        self.login(self.leader)

        response = self.client.get(self.plan_url(self.agency))

        [tally] = [t for t in response.context["tallies"] if t.competence == self.c]
        self.assertEqual(tally.total.mentors, 2)
        self.assertEqual(tally.total.holders, 2)

    def test_a_recruitment_need_becomes_an_action_from_the_counts(self):
        self.login(self.leader)
        page = self.client.get(self.plan_url(self.agency))
        self.assertContains(page, f'action="{self.action_url(self.team)}"')
        self.assertContains(page, f'action="{self.action_url(self.agency)}"')

        self.client.post(
            self.action_url(self.agency), {"kind": "recruit", "competence": self.c.pk}
        )

        action = Action.objects.get()
        self.assertEqual(
            (action.kind, action.unit, action.person), ("recruit", self.agency, None)
        )
        page = self.client.get(self.plan_url(self.agency))
        [tally] = [t for t in page.context["tallies"] if t.competence == self.c]
        self.assertTrue(tally.taken)
        self.assertFalse(any(row.taken for row in tally.rows))

    def test_acting_for_a_child_unit_leads_back_to_the_page_clicked(self):
        self.login(self.leader)
        data = {"kind": "recruit", "competence": self.c.pk, "back": self.agency.pk}

        response = self.client.post(self.action_url(self.team), data)

        self.assertRedirects(
            response,
            f"{self.plan_url(self.agency)}?framework={self.framework.pk}",
            fetch_redirect_response=False,
        )
        self.assertEqual(Action.objects.get().unit, self.team)

    def test_a_forged_page_to_go_back_to_is_ignored(self):
        # Out of scope, below the unit, or not a unit at all.
        self.login(self.sub_leader)
        for back in (self.agency.pk, self.elsewhere.pk, 999999):
            with self.subTest(back=back):
                data = {"kind": "recruit", "competence": self.c.pk, "back": back}

                response = self.client.post(self.action_url(self.team), data)

                self.assertRedirects(
                    response,
                    f"{self.plan_url(self.team)}?framework={self.framework.pk}",
                    fetch_redirect_response=False,
                )

    def test_a_unit_without_child_units_names_people_whatever_its_size(self):
        self.login(self.sub_leader)

        response = self.client.get(self.plan_url(self.team))

        self.assertNotIn("tallies", response.context)
        self.assertContains(response, "Mentor: Kollega Testesen (level 4)")

    def test_a_unit_within_the_limit_still_names_people(self):
        self.login(self.sub_leader)

        with self.settings(ANALYSIS_NAMED_LIMIT=3):
            response = self.client.get(self.plan_url(self.team))

        self.assertNotIn("tallies", response.context)
        self.assertContains(response, "Mentor: Kollega Testesen (level 4)")


class CreateActionTests(AnalysisCase):
    def develop(self) -> dict[str, object]:
        return {"kind": "develop", "competence": self.c.pk, "person": self.employee.pk}

    def test_proposal_becomes_an_action_with_its_reason(self):
        self.login(self.leader)

        response = self.client.post(self.action_url(self.agency), self.develop())

        self.assertRedirects(
            response, f"{self.plan_url(self.agency)}?framework={self.framework.pk}"
        )
        action = Action.objects.get()
        self.assertEqual(
            (action.person, action.mentor), (self.employee, self.colleague)
        )
        self.assertIn("gap 2", action.description)
        self.assertEqual(action.owner, self.leader.user)
        # Clicked in the English UI, stored in the product's language.
        self.assertIn("er på nivå 1", action.description)

    def test_the_action_follows_the_assessment_kind_the_page_counted(self):
        # Counting self-assessments only, the colleague (assessed by the
        # leader) is no mentor: the proposal is to develop alone.
        self.login(self.leader)

        response = self.client.post(
            self.action_url(self.agency), {**self.develop(), "level_kind": "self"}
        )

        self.assertRedirects(
            response,
            f"{self.plan_url(self.agency)}?framework={self.framework.pk}&kind=self",
        )
        action = Action.objects.get()
        self.assertEqual((action.person, action.mentor), (self.employee, None))

    def test_same_proposal_twice_creates_one_action(self):
        self.login(self.leader)

        self.client.post(self.action_url(self.agency), self.develop())
        response = self.client.post(
            self.action_url(self.agency), self.develop(), follow=True
        )

        self.assertEqual(Action.objects.count(), 1)
        self.assertContains(response, "already covers")

    def test_page_shows_open_action_instead_of_button(self):
        self.login(self.leader)
        self.client.post(self.action_url(self.agency), self.develop())

        response = self.client.get(self.plan_url(self.agency))

        self.assertContains(response, "An action is open.")
        self.assertContains(response, "Open actions")
        self.assertContains(response, f"<td>{self.leader.full_name}</td>", html=True)

    def test_recruit_proposal_becomes_a_unit_action(self):
        self.login(self.leader)

        self.client.post(
            self.action_url(self.agency), {"kind": "recruit", "competence": self.c.pk}
        )

        action = Action.objects.get()
        self.assertEqual((action.unit, action.person), (self.agency, None))

    def test_proposal_the_rules_do_not_make_creates_nothing(self):
        self.login(self.leader)

        response = self.client.post(
            self.action_url(self.agency),
            {"kind": "develop", "competence": self.c.pk, "person": self.colleague.pk},
            follow=True,
        )

        self.assertFalse(Action.objects.exists())
        self.assertContains(response, "no longer applies")

    def test_forged_kind_is_400_with_a_message(self):
        self.login(self.leader)

        response = self.client.post(
            self.action_url(self.agency), {**self.develop(), "kind": "fire"}
        )

        self.assertContains(response, "Nothing was saved", status_code=400)
        self.assertFalse(Action.objects.exists())

    def test_unit_outside_scope_is_404(self):
        self.login(self.other_leader)

        response = self.client.post(self.action_url(self.agency), self.develop())

        self.assertEqual(response.status_code, 404)
        self.assertFalse(Action.objects.exists())

    def test_read_only_hr_adviser_is_403(self):
        Role.objects.create(user=self.outsider.user, kind="hr", unit=self.agency)
        self.login(self.outsider)

        response = self.client.post(self.action_url(self.agency), self.develop())

        self.assertEqual(response.status_code, 403)
        self.assertFalse(Action.objects.exists())

    def test_wrong_method_is_405(self):
        self.login(self.leader)

        response = self.client.get(self.action_url(self.agency))

        self.assertEqual(response.status_code, 405)


class HeatmapTests(AnalysisCase):
    def test_child_units_are_aggregated_with_text(self):
        self.login(self.leader)

        response = self.client.get(self.heatmap_url(self.agency))

        [other_row, team_row] = response.context["unit_rows"]
        self.assertEqual((other_row.name, team_row.name), ("Annen", "Teamet"))
        self.assertEqual(team_row.cells[0].summary.expected, 2)
        self.assertContains(response, "1 of 2 at level")
        self.assertContains(response, "Mean gap 1.0")

    def test_own_members_are_rows(self):
        self.login(self.sub_leader)

        response = self.client.get(self.heatmap_url(self.team))

        names = [row.name for row in response.context["person_rows"]]
        self.assertEqual(names, ["Ansatt Testesen", "Kollega Testesen"])

    def test_a_current_level_says_which_assessment_it_comes_from(self):
        self.login(self.sub_leader)

        response = self.client.get(self.heatmap_url(self.team))

        self.assertContains(response, "current 1 (self-assessment)")
        self.assertContains(response, "current 4 (leader&#x27;s assessment)")

    def test_expanding_a_unit_returns_its_people_only(self):
        self.login(self.leader)

        response = self.client.get(self.heatmap_url(self.team), HTTP_HX_REQUEST="true")

        self.assertContains(response, "Ansatt Testesen")
        self.assertNotContains(response, "<html")
        # Its button comes along, now to hide them again.
        self.assertContains(response, 'aria-expanded="true"')

    def test_hiding_a_units_people_again_answers_only_its_button(self):
        self.login(self.leader)
        before = AccessLog.objects.count()

        response = self.client.get(
            self.heatmap_url(self.team), {"people": "hide"}, HTTP_HX_REQUEST="true"
        )

        self.assertContains(response, 'aria-expanded="false"')
        self.assertContains(response, 'hx-swap-oob="true"')
        self.assertNotContains(response, "Ansatt Testesen")
        self.assertEqual(AccessLog.objects.count(), before)

    def test_kind_filter_uses_only_that_assessment(self):
        self.login(self.leader)

        response = self.client.get(self.heatmap_url(self.team), {"kind": "leader"})

        [employee_row, _, _] = response.context["person_rows"]
        self.assertIsNone(employee_row.cells[0].standing.current)

    def test_links_keep_the_filters_but_not_the_page(self):
        self.login(self.leader)

        response = self.client.get(
            self.heatmap_url(self.agency), {"kind": "self", "page": "1"}
        )

        query = QueryDict(response.context["query"])
        self.assertEqual(
            query.dict(), {"kind": "self", "framework": str(self.framework.pk)}
        )

    def test_unit_outside_scope_is_404(self):
        self.login(self.sub_leader)

        response = self.client.get(self.heatmap_url(self.agency))

        self.assertEqual(response.status_code, 404)

    def test_wrong_method_is_405(self):
        self.login(self.leader)

        response = self.client.post(self.heatmap_url(self.agency))

        self.assertEqual(response.status_code, 405)

    def test_same_query_count_for_small_and_large_subtree(self):
        self.login(self.sub_leader)
        with CaptureQueriesContext(connection) as small:
            self.client.get(self.heatmap_url(self.team))
        for number in range(5):
            make_person(f"Ny{number}", make_unit(f"Enhet {number}", self.agency))
        make_person("Rotmedlem", self.root)
        self.login(self.top)

        with self.assertNumQueries(len(small.captured_queries)):
            self.client.get(self.heatmap_url(self.root))
