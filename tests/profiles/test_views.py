from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conversations.models import Conversation
from profiles.expectations import version_token
from profiles.models import Assessment, Expectation
from profiles.records import record_assessments, set_expectations
from tests.factories import CastTestCase


class TeamViewTests(CastTestCase):
    def test_leader_sees_subordinates_with_gap(self):
        c = self.competences[0]
        set_expectations(self.employee, {c: 3}, by=self.leader.user)
        record_assessments(self.employee, "self", {c: 1}, by=self.employee.user)
        self.login(self.leader)

        response = self.client.get(reverse("profiles:team"))

        self.assertContains(response, self.employee.full_name)
        self.assertContains(response, "Gap 2")
        self.assertNotContains(response, self.outsider.full_name)

    def test_leader_does_not_see_self(self):
        self.login(self.leader)

        response = self.client.get(reverse("profiles:team"))

        self.assertNotContains(response, f">{self.leader.full_name}<")

    def test_same_query_count_for_one_and_many_people(self):
        self.login(self.sub_leader)
        with CaptureQueriesContext(connection) as one:
            response = self.client.get(reverse("profiles:team"))
        self.assertEqual(len(response.context["rows"]), 2)
        self.login(self.top)

        with self.assertNumQueries(len(one.captured_queries)):
            response = self.client.get(reverse("profiles:team"))

        self.assertEqual(len(response.context["rows"]), 6)

    def test_wrong_method_is_405(self):
        self.login(self.leader)

        response = self.client.post(reverse("profiles:team"))

        self.assertEqual(response.status_code, 405)


class EditExpectationsTests(CastTestCase):
    def url(self, person) -> str:
        return reverse("profiles:edit-expectations", args=[person.pk])

    def field(self, competence) -> str:
        return f"competence-{competence.pk}"

    def post(self, person, levels: dict, version: str | None = None):  # type: ignore[no-untyped-def]
        data = {
            self.field(c): "" if lvl is None else str(lvl) for c, lvl in levels.items()
        }
        data["version"] = version or version_token([person], self.competences)
        return self.client.post(self.url(person), data)

    def test_leader_sets_expected_level(self):
        c = self.competences[0]
        self.login(self.leader)

        response = self.post(self.employee, {c: 3})

        self.assertRedirects(
            response, reverse("profiles:person", args=[self.employee.pk])
        )
        self.assertEqual(
            Expectation.objects.current().get(person=self.employee).level, 3
        )

    def test_form_shows_current_levels(self):
        set_expectations(self.employee, {self.competences[1]: 2}, by=self.leader.user)
        self.login(self.leader)

        response = self.client.get(self.url(self.employee))

        self.assertContains(response, '<option value="2" selected>', html=False)

    def test_level_outside_scale_changes_nothing(self):
        self.login(self.leader)

        response = self.post(self.employee, {self.competences[0]: 7})

        self.assertEqual(response.status_code, 400)
        self.assertFalse(Expectation.objects.exists())

    def test_outsider_is_404_and_changes_nothing(self):
        self.login(self.leader)

        response = self.post(self.outsider, {self.competences[0]: 2})

        self.assertEqual(response.status_code, 404)
        self.assertFalse(Expectation.objects.exists())

    def test_employee_cannot_set_own_expectations(self):
        self.login(self.employee)

        response = self.post(self.employee, {self.competences[0]: 1})

        self.assertEqual(response.status_code, 403)
        self.assertFalse(Expectation.objects.exists())

    def test_leader_cannot_set_own_expectations(self):
        self.login(self.leader)

        response = self.client.get(self.url(self.leader))

        self.assertEqual(response.status_code, 403)

    def test_subordinate_leader_cannot_set_superiors_expectations(self):
        self.login(self.sub_leader)

        response = self.client.get(self.url(self.leader))

        self.assertEqual(response.status_code, 404)

    def test_anonymous_is_sent_to_login(self):
        response = self.client.get(self.url(self.employee))

        self.assertRedirects(
            response, f"{reverse('login')}?next={self.url(self.employee)}"
        )

    def test_wrong_method_is_405(self):
        self.login(self.leader)

        response = self.client.put(self.url(self.employee))

        self.assertEqual(response.status_code, 405)


class LeaderAssessmentTests(CastTestCase):
    def test_leader_assesses_subordinate(self):
        c = self.competences[0]
        self.login(self.leader)

        self.client.post(
            reverse("profiles:edit-leader-assessment", args=[self.employee.pk]),
            {f"competence-{c.pk}": "2"},
        )

        self.assertEqual(Assessment.objects.get().kind, Assessment.Kind.LEADER)

    def test_employee_cannot_assess_self_as_leader(self):
        self.login(self.employee)

        response = self.client.post(
            reverse("profiles:edit-leader-assessment", args=[self.employee.pk]),
            {f"competence-{self.competences[0].pk}": "4"},
        )

        self.assertEqual(response.status_code, 403)
        self.assertFalse(Assessment.objects.exists())


class MyProfileTests(CastTestCase):
    def test_employee_self_assesses(self):
        c = self.competences[0]
        self.login(self.employee)

        response = self.client.post(reverse("profiles:me"), {f"competence-{c.pk}": "2"})

        self.assertRedirects(response, reverse("profiles:me"))
        assessment = Assessment.objects.get()
        self.assertEqual((assessment.kind, assessment.level), ("self", 2))
        self.assertEqual(assessment.person, self.employee)

    def test_page_shows_own_expectation_and_gap(self):
        c = self.competences[0]
        set_expectations(self.employee, {c: 3}, by=self.leader.user)
        record_assessments(self.employee, "self", {c: 2}, by=self.employee.user)
        self.login(self.employee)

        response = self.client.get(reverse("profiles:me"))

        self.assertContains(response, "egenvurdering")
        self.assertEqual(response.context["row"].cells[0].gap, 1)

    def test_a_post_that_leaves_a_competence_out_keeps_its_level(self):
        first, second = self.competences[:2]
        record_assessments(self.employee, "self", {first: 3}, by=self.employee.user)
        self.login(self.employee)

        self.client.post(reverse("profiles:me"), {f"competence-{second.pk}": "2"})

        current = Assessment.objects.current().filter(person=self.employee)
        self.assertEqual(
            dict(current.values_list("competence", "level")),
            {first.pk: 3, second.pk: 2},
        )

    def test_forged_level_changes_nothing(self):
        self.login(self.employee)

        response = self.client.post(
            reverse("profiles:me"), {f"competence-{self.competences[0].pk}": "99"}
        )

        self.assertEqual(response.status_code, 400)
        self.assertFalse(Assessment.objects.exists())

    def test_login_without_person_gets_explanation(self):
        self.client.force_login(self.admin)

        response = self.client.get(reverse("profiles:me"))

        self.assertContains(response, "ikke knyttet til en person")


class PersonDetailTests(CastTestCase):
    def test_leader_reads_subordinate(self):
        self.login(self.top)

        response = self.client.get(reverse("profiles:person", args=[self.employee.pk]))

        self.assertContains(response, self.employee.full_name)
        self.assertTrue(response.context["editable"])

    def test_the_persons_conversations_are_listed_closed_ones_too(self):
        closed = Conversation.objects.create(
            person=self.employee,
            leader=self.leader.user,
            kind=Conversation.Kind.EMPLOYEE,
            planned_at=timezone.now(),
            status=Conversation.Status.FOLLOWED_UP,
        )
        self.login(self.leader)

        response = self.client.get(reverse("profiles:person", args=[self.employee.pk]))

        self.assertContains(response, reverse("conversations:detail", args=[closed.pk]))
        self.assertContains(response, "fulgt opp")

    def test_employee_reading_colleague_is_404(self):
        self.login(self.employee)

        response = self.client.get(reverse("profiles:person", args=[self.colleague.pk]))

        self.assertEqual(response.status_code, 404)

    def test_employee_reads_own_profile_read_only(self):
        self.login(self.employee)

        response = self.client.get(reverse("profiles:person", args=[self.employee.pk]))

        self.assertFalse(response.context["editable"])
