from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from catalogue.models import Indicator
from profiles.models import Assessment
from profiles.records import record_assessments, set_expectations
from tests.factories import CastTestCase, load_bundled_framework, make_framework


class AgreedAssessmentTests(CastTestCase):
    def url(self, person) -> str:  # type: ignore[no-untyped-def]
        return reverse("profiles:edit-agreed-assessment", args=[person.pk])

    def test_leader_records_agreed_level_with_date_and_note(self):
        c = self.competences[0]
        day = timezone.localdate() - datetime.timedelta(days=3)
        self.login(self.leader)

        response = self.client.post(
            self.url(self.employee),
            {
                f"competence-{c.pk}": "3",
                "assessed_on": day.isoformat(),
                "note": "Samtale",
            },
        )

        self.assertRedirects(
            response, reverse("profiles:person", args=[self.employee.pk])
        )
        agreed = Assessment.objects.get()
        self.assertEqual((agreed.kind, agreed.level), (Assessment.Kind.AGREED, 3))
        self.assertEqual((agreed.assessed_on, agreed.note), (day, "Samtale"))

    def test_person_page_says_current_level_is_the_agreed_one(self):
        c = self.competences[0]
        record_assessments(self.employee, "self", {c: 1}, by=self.employee.user)
        record_assessments(self.employee, "agreed", {c: 2}, by=self.leader.user)
        self.login(self.leader)

        response = self.client.get(reverse("profiles:person", args=[self.employee.pk]))

        self.assertContains(
            response, '<td data-label="Kilde">omforent nivå</td>', html=True
        )

    def test_future_date_is_refused_with_message(self):
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        self.login(self.leader)

        response = self.client.post(
            self.url(self.employee),
            {
                f"competence-{self.competences[0].pk}": "2",
                "assessed_on": tomorrow.isoformat(),
            },
        )

        self.assertContains(response, "fram i tid", status_code=400)
        self.assertContains(
            response, 'aria-describedby="id_assessed_on_error"', status_code=400
        )
        self.assertContains(response, 'id="id_assessed_on_error"', status_code=400)
        self.assertFalse(Assessment.objects.exists())

    def test_employee_posting_agreed_level_of_self_is_403(self):
        self.login(self.employee)

        response = self.client.post(
            self.url(self.employee), {f"competence-{self.competences[0].pk}": "4"}
        )

        self.assertEqual(response.status_code, 403)
        self.assertFalse(Assessment.objects.exists())

    def test_employee_cannot_smuggle_a_kind_into_self_assessment(self):
        c = self.competences[0]
        self.login(self.employee)

        self.client.post(
            reverse("profiles:me"), {f"competence-{c.pk}": "4", "kind": "agreed"}
        )

        self.assertEqual(Assessment.objects.get().kind, Assessment.Kind.SELF)

    def test_person_who_left_is_refused_with_message(self):
        self.employee.active = False
        self.employee.save()
        self.login(self.leader)

        response = self.client.post(
            self.url(self.employee), {f"competence-{self.competences[0].pk}": "2"}
        )

        self.assertContains(response, "har sluttet", status_code=400)
        self.assertFalse(Assessment.objects.exists())

    def test_outsider_is_404(self):
        self.login(self.leader)

        response = self.client.get(self.url(self.outsider))

        self.assertEqual(response.status_code, 404)

    def test_read_only_hr_is_403(self):
        self.client.force_login(self.make_hr(can_change=False))

        response = self.client.post(
            self.url(self.employee), {f"competence-{self.competences[0].pk}": "2"}
        )

        self.assertEqual(response.status_code, 403)
        self.assertFalse(Assessment.objects.exists())

    def test_wrong_method_is_405(self):
        self.login(self.leader)

        response = self.client.delete(self.url(self.employee))

        self.assertEqual(response.status_code, 405)


class HistoryTests(CastTestCase):
    def url(self, person) -> str:  # type: ignore[no-untyped-def]
        return reverse("profiles:history", args=[person.pk])

    def test_history_keeps_every_entry_newest_first(self):
        c = self.competences[0]
        earlier = timezone.localdate() - datetime.timedelta(days=10)
        record_assessments(
            self.employee, "self", {c: 1}, by=self.employee.user, on=earlier
        )
        record_assessments(self.employee, "self", {c: 2}, by=self.employee.user)
        set_expectations(self.employee, {c: 3}, by=self.leader.user)
        self.login(self.employee)

        response = self.client.get(self.url(self.employee))

        [timeline, *_rest] = response.context["timelines"]
        levels = [(e.kind, e.level, e.is_current) for e in timeline.entries]
        self.assertEqual(
            levels,
            [("expectation", 3, True), ("self", 2, True), ("self", 1, False)],
        )
        self.assertContains(response, self.leader.full_name)

    def test_query_count_does_not_grow_with_history(self):
        c = self.competences[0]
        set_expectations(self.employee, {c: 1}, by=self.leader.user)
        self.login(self.leader)
        with CaptureQueriesContext(connection) as short:
            self.client.get(self.url(self.employee))
        for level in (2, 3, 4):
            set_expectations(self.employee, {c: level}, by=self.top.user)
            record_assessments(self.employee, "leader", {c: level}, by=self.top.user)

        with self.assertNumQueries(len(short.captured_queries)):
            self.client.get(self.url(self.employee))

    def test_colleague_is_404(self):
        self.login(self.colleague)

        response = self.client.get(self.url(self.employee))

        self.assertEqual(response.status_code, 404)

    def test_read_only_hr_reads_history(self):
        self.client.force_login(self.make_hr(can_change=False))

        response = self.client.get(self.url(self.employee))

        self.assertEqual(response.status_code, 200)

    def test_wrong_method_is_405(self):
        self.login(self.employee)

        response = self.client.post(self.url(self.employee))

        self.assertEqual(response.status_code, 405)


class IndicatorSelfAssessmentTests(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.framework.status = "retired"
        cls.framework.save()
        cls.bundled = load_bundled_framework()
        cls.competence = cls.bundled.competences.first()
        cls.indicators = list(
            Indicator.objects.filter(competences=cls.competence).order_by(
                "competence_links__position"
            )
        )

    def post(self, ticks, level, **extra):  # type: ignore[no-untyped-def]
        c = self.competence
        data = {
            f"indicators-{c.pk}": [i.pk for i in ticks],
            f"competence-{c.pk}": level,
        }
        return self.client.post(reverse("profiles:me"), {**data, **extra})

    def test_ticked_indicators_are_stored_with_the_level(self):
        self.login(self.employee)

        self.post(self.indicators[:3], "2")

        assessment = Assessment.objects.get()
        self.assertEqual(set(assessment.indicators.all()), set(self.indicators[:3]))
        self.assertEqual(assessment.level, 2)

    def test_page_suggests_level_from_ticks_but_keeps_the_chosen_one(self):
        self.login(self.employee)
        self.post(self.indicators, "1")

        response = self.client.get(reverse("profiles:me"))

        [section, *_rest] = response.context["form"].sections()
        self.assertEqual(section.suggested, 4)
        self.assertEqual(section.level.value(), 1)
        self.assertContains(response, "Foreslått nivå")

    def test_ticking_asks_for_a_fresh_suggestion_fragment(self):
        c = self.competence
        self.login(self.employee)

        response = self.client.get(
            reverse("profiles:me"),
            {"suggest": c.pk, f"indicators-{c.pk}": [i.pk for i in self.indicators]},
            headers={"HX-Request": "true"},
        )

        self.assertContains(response, f"4 ({len(self.indicators)} av")
        self.assertNotContains(response, "<html")
        # Only the text: the live region stays on the page and its content
        # changes, which screen readers announce; a region swapped in whole
        # is new to them and stays silent.
        self.assertNotContains(response, "aria-live")

    def test_ticks_change_the_suggestion_inside_its_live_region(self):
        c = self.competence
        self.login(self.employee)

        response = self.client.get(reverse("profiles:me"))

        self.assertContains(
            response, f'hx-target="#suggestion-{c.pk}" hx-swap="innerHTML"'
        )
        self.assertContains(
            response, f'id="suggestion-{c.pk}" aria-live="polite"', count=1
        )

    def test_suggestion_counts_each_indicator_of_the_competence_once(self):
        c = self.competence
        other = Indicator.objects.exclude(competences=c).first()
        self.login(self.employee)

        response = self.client.get(
            reverse("profiles:me"),
            {
                "suggest": c.pk,
                # One indicator ticked three times, and ids that are not
                # the competence's: a forged or stale request.
                f"indicators-{c.pk}": [self.indicators[0].pk] * 3
                + [other.pk, 999_999, "x"],
            },
            headers={"HX-Request": "true"},
        )

        self.assertContains(response, f"1 (1 av {len(self.indicators)})")

    def test_ticks_without_level_are_refused_with_message(self):
        self.login(self.employee)

        response = self.post(self.indicators[:2], "")

        self.assertContains(response, "Velg et nivå", status_code=400)
        self.assertFalse(Assessment.objects.exists())

    def test_indicator_of_another_competence_is_refused(self):
        other = Indicator.objects.exclude(competences=self.competence).first()
        self.login(self.employee)

        response = self.post([other], "2")

        self.assertEqual(response.status_code, 400)
        self.assertFalse(Assessment.objects.exists())

    def test_refused_ticks_are_explained_next_to_the_checkboxes(self):
        other = Indicator.objects.exclude(competences=self.competence).first()
        self.login(self.employee)

        response = self.post([other], "2")

        error_id = f"id_indicators-{self.competence.pk}_error"
        self.assertContains(response, f'id="{error_id}"', status_code=400)
        self.assertContains(response, "hører ikke til kompetansen", status_code=400)
        self.assertContains(
            response,
            f'<fieldset class="app-ticks" aria-describedby="{error_id}"',
            status_code=400,
        )

    def test_changing_only_ticks_records_a_new_assessment(self):
        self.login(self.employee)
        self.post(self.indicators[:1], "2")

        self.post(self.indicators[:2], "2")

        self.assertEqual(Assessment.objects.count(), 2)
        self.assertEqual(Assessment.objects.current().get().indicators.count(), 2)


class ForgedCompetenceTests(CastTestCase):
    def test_competence_of_retired_framework_in_self_assessment_is_refused(self):
        retired = make_framework("Gammel", status="retired")
        self.login(self.employee)

        response = self.client.post(
            reverse("profiles:me"),
            {f"competence-{retired.competences.first().pk}": "2"},
        )

        self.assertContains(response, "utgått rammeverk", status_code=400)
        self.assertFalse(Assessment.objects.exists())

    def test_competence_of_unrelated_framework_in_leader_assessment_is_refused(self):
        other = make_framework("Annet")
        self.login(self.leader)

        response = self.client.post(
            reverse("profiles:edit-leader-assessment", args=[self.employee.pk]),
            {
                f"competence-{self.competences[0].pk}": "2",
                f"competence-{other.competences.first().pk}": "2",
            },
        )

        self.assertEqual(response.status_code, 400)
        self.assertFalse(Assessment.objects.exists())


class CurrentByDateTests(CastTestCase):
    """The current assessment of a kind is the newest by date (the later
    recorded on the same date), however they were entered."""

    def url(self, person) -> str:  # type: ignore[no-untyped-def]
        return reverse("profiles:edit-agreed-assessment", args=[person.pk])

    def post(self, level, on, follow=False):  # type: ignore[no-untyped-def]
        data = {
            f"competence-{self.competences[0].pk}": level,
            "assessed_on": on.isoformat(),
        }
        return self.client.post(self.url(self.employee), data, follow=follow)

    def current(self) -> Assessment:
        return Assessment.objects.current().get(person=self.employee, kind="agreed")

    def test_back_dated_level_is_kept_as_history(self):
        today = timezone.localdate()
        self.login(self.leader)
        self.post("3", today - datetime.timedelta(days=10))

        response = self.post("1", today - datetime.timedelta(days=400), follow=True)

        self.assertEqual(self.current().level, 3)
        self.assertEqual(Assessment.objects.count(), 2)
        self.assertContains(response, "beholdt i historikken")
        [cell, *_rest] = response.context["row"].cells
        self.assertEqual(cell.current, 3)

    def test_newer_date_replaces_the_current_level(self):
        today = timezone.localdate()
        self.login(self.leader)
        self.post("3", today - datetime.timedelta(days=400))

        response = self.post("1", today - datetime.timedelta(days=10), follow=True)

        self.assertEqual(self.current().level, 1)
        self.assertNotContains(response, "beholdt i historikken")

    def test_on_the_same_date_the_later_entered_counts(self):
        day = timezone.localdate() - datetime.timedelta(days=5)
        self.login(self.leader)
        self.post("3", day)

        self.post("2", day)

        self.assertEqual(self.current().level, 2)
        self.assertEqual(Assessment.objects.current().count(), 1)

    def test_dates_before_2000_are_refused_with_message(self):
        self.login(self.leader)
        for day in [datetime.date(1, 1, 1), datetime.date(1999, 12, 31)]:
            with self.subTest(day=day):
                response = self.post("2", day)

                self.assertContains(response, "før 01.01.2000", status_code=400)
                self.assertContains(
                    response, 'id="id_assessed_on_error"', status_code=400
                )
                self.assertFalse(Assessment.objects.exists())

    def test_the_earliest_date_is_accepted(self):
        self.login(self.leader)

        self.post("2", datetime.date(2000, 1, 1))

        self.assertEqual(self.current().assessed_on, datetime.date(2000, 1, 1))


class ClearingTests(CastTestCase):
    """Choosing "not assessed" clears a level, as a row without one, like
    a removed expectation; the next kind of assessment then counts."""

    def post(self, kind, level):  # type: ignore[no-untyped-def]
        url = reverse(f"profiles:edit-{kind}-assessment", args=[self.employee.pk])
        return self.client.post(
            url, {f"competence-{self.competences[0].pk}": level}, follow=True
        )

    def test_cleared_agreed_level_lets_the_leaders_count(self):
        self.login(self.leader)
        self.post("leader", "2")
        self.post("agreed", "4")

        response = self.post("agreed", "")

        cleared = Assessment.objects.current().get(kind="agreed")
        self.assertIsNone(cleared.level)
        self.assertEqual(Assessment.objects.filter(kind="agreed").count(), 2)
        [cell, *_rest] = response.context["row"].cells
        self.assertEqual((cell.current, cell.source), (2, "leader"))

    def test_cleared_only_level_leaves_the_competence_not_assessed(self):
        self.login(self.leader)
        self.post("leader", "2")

        response = self.post("leader", "")

        [cell, *_rest] = response.context["row"].cells
        self.assertEqual((cell.current, cell.status), (None, "no-expectation"))
        history = self.client.get(reverse("profiles:history", args=[self.employee.pk]))
        self.assertContains(history, "fjernet")

    def test_clearing_what_was_never_assessed_writes_nothing(self):
        self.login(self.leader)

        response = self.post("leader", "")

        self.assertContains(response, "Ingenting ble endret")
        self.assertFalse(Assessment.objects.exists())

    def test_form_says_what_not_assessed_does(self):
        self.login(self.leader)

        response = self.client.get(
            reverse("profiles:edit-leader-assessment", args=[self.employee.pk])
        )

        self.assertContains(response, "Ikke vurdert")
        self.assertContains(response, "historikken beholder det gamle nivået")


class StaleAssessmentFormTests(CastTestCase):
    """A form opened before someone else saved: a level the user left as
    the form showed it keeps the other person's newer level."""

    def url(self) -> str:
        return reverse("profiles:edit-leader-assessment", args=[self.employee.pk])

    def leader_level(self, competence) -> int | None:  # type: ignore[no-untyped-def]
        return (
            Assessment.objects.current()
            .get(person=self.employee, competence=competence, kind="leader")
            .level
        )

    def test_form_carries_the_levels_it_showed(self):
        first = self.competences[0]
        record_assessments(self.employee, "leader", {first: 2}, by=self.top.user)
        self.login(self.leader)

        response = self.client.get(self.url())

        self.assertContains(
            response,
            f'<input type="hidden" name="initial-competence-{first.pk}" value="2" '
            f'id="initial-id_competence-{first.pk}">',
            html=True,
        )

    def test_level_left_alone_keeps_the_one_saved_meanwhile(self):
        first, second = self.competences[:2]
        record_assessments(self.employee, "leader", {first: 2}, by=self.leader.user)
        shown = {
            f"competence-{first.pk}": "2",
            f"initial-competence-{first.pk}": "2",
            f"competence-{second.pk}": "3",
            f"initial-competence-{second.pk}": "",
        }
        record_assessments(self.employee, "leader", {first: 4}, by=self.top.user)
        self.login(self.leader)

        response = self.client.post(self.url(), shown, follow=True)

        self.assertEqual(self.leader_level(first), 4)
        self.assertEqual(self.leader_level(second), 3)
        self.assertContains(response, "Noen andre endret nivået i")

    def test_level_the_user_changed_is_saved_over_the_one_saved_meanwhile(self):
        # Both are assessments someone made: the newest counts, and the
        # history keeps the other.
        first = self.competences[0]
        record_assessments(self.employee, "leader", {first: 2}, by=self.leader.user)
        record_assessments(self.employee, "leader", {first: 4}, by=self.top.user)
        self.login(self.leader)

        self.client.post(
            self.url(),
            {f"competence-{first.pk}": "3", f"initial-competence-{first.pk}": "2"},
        )

        self.assertEqual(self.leader_level(first), 3)
        self.assertEqual(
            Assessment.objects.filter(competence=first, level=4).count(), 1
        )

    def test_self_assessment_in_another_tab_is_kept(self):
        first, second = self.competences[:2]
        self.login(self.employee)
        # Saved in one tab; the other still shows the form without it.
        record_assessments(self.employee, "self", {first: 3}, by=self.employee.user)

        self.client.post(
            reverse("profiles:me"),
            {
                f"competence-{first.pk}": "",
                f"initial-competence-{first.pk}": "",
                f"competence-{second.pk}": "2",
                f"initial-competence-{second.pk}": "",
            },
        )

        current = Assessment.objects.current().filter(kind="self")
        self.assertEqual(current.get(competence=first).level, 3)
        self.assertEqual(current.get(competence=second).level, 2)
