from __future__ import annotations

from django.test import override_settings

from analysis.queries import (
    child_histograms,
    child_summaries,
    configured_thresholds,
    fetch_standings,
    histograms_of,
)
from analysis.rules import summarise
from organisation.scope import analysed_people
from profiles.models import RoleProfile
from profiles.records import record_assessments, set_expectations
from tests.factories import CastTestCase, make_framework, make_role_profile


class ChildSummariesTests(CastTestCase):
    def setUp(self) -> None:
        c1, c2 = self.competences[:2]
        by = self.leader.user
        set_expectations(self.employee, {c1: 3, c2: 2}, by=by)
        set_expectations(self.colleague, {c1: 2}, by=by)
        set_expectations(self.sub_leader, {c1: 4}, by=by)
        record_assessments(self.employee, "self", {c1: 1, c2: 3}, by=by)
        record_assessments(self.employee, "agreed", {c1: 2}, by=by)
        record_assessments(self.colleague, "leader", {c1: 4}, by=by)

    def test_database_aggregate_matches_the_rule(self):
        people = analysed_people(self.leader.user, self.agency)

        summaries = child_summaries(self.agency, people, self.competences)

        standings = fetch_standings(people, self.competences)
        for c in self.competences:
            with self.subTest(competence=c.name):
                expected = summarise(standings.for_competence(c.pk))
                got = summaries.get((self.team.path, c.pk))
                self.assertEqual(got or summarise([]), expected)

    def test_agreed_level_wins_over_self_assessment(self):
        people = analysed_people(self.leader.user, self.agency)

        summaries = child_summaries(self.agency, people, self.competences[:1])

        summary = summaries[(self.team.path, self.competences[0].pk)]
        # employee: 3 expected, agreed 2 (gap 1); colleague meets 2;
        # sub-leader not assessed.
        self.assertEqual(
            (summary.expected, summary.met, summary.assessed, summary.gap_total),
            (3, 1, 2, 1),
        )

    def test_kind_filter_counts_only_that_assessment(self):
        people = analysed_people(self.leader.user, self.agency)

        summaries = child_summaries(
            self.agency, people, self.competences[:1], kind="self"
        )

        summary = summaries[(self.team.path, self.competences[0].pk)]
        self.assertEqual((summary.assessed, summary.gap_total), (1, 2))

    def test_cleared_agreed_level_lets_the_self_assessment_count(self):
        c1 = self.competences[0]
        record_assessments(self.employee, "agreed", {c1: None}, by=self.leader.user)
        people = analysed_people(self.leader.user, self.agency)

        summaries = child_summaries(self.agency, people, [c1])
        standings = fetch_standings(people, [c1])

        summary = summaries[(self.team.path, c1.pk)]
        # employee: 3 expected, self-assessed 1 (gap 2); colleague meets 2.
        self.assertEqual((summary.assessed, summary.gap_total), (2, 2))
        self.assertEqual(summary, summarise(standings.for_competence(c1.pk)))


class RoleProfileTests(CastTestCase):
    """A person's effective expectation is their own, else their role
    profile's (DESIGN.md §4), in the named and in the counted analysis."""

    def setUp(self) -> None:
        self.c1, self.c2 = self.competences[:2]
        by = self.leader.user
        self.employee.title = "Rådgiver"
        self.employee.save()
        make_role_profile(self.agency, {self.c1: 4, self.c2: 2}, titles="rådgiver")
        set_expectations(self.employee, {self.c2: 3}, by=by)
        set_expectations(self.colleague, {self.c1: 2}, by=by)
        record_assessments(self.employee, "leader", {self.c1: 2, self.c2: 3}, by=by)
        record_assessments(self.sub_leader, "agreed", {self.c1: 4}, by=by)
        self.people = analysed_people(self.leader.user, self.agency)

    def test_the_profile_fills_in_where_there_is_no_own_expectation(self):
        standings = fetch_standings(self.people, [self.c1, self.c2])

        employee = self.employee.pk
        self.assertEqual(standings.by_key[employee, self.c1.pk].expected, 4)
        # The own expectation wins over the profile's 2.
        self.assertEqual(standings.by_key[employee, self.c2.pk].expected, 3)

    def test_counts_include_the_profiles_expectation(self):
        summaries = child_summaries(self.agency, self.people, [self.c1])

        summary = summaries[(self.team.path, self.c1.pk)]
        # Employee: 4 from the profile, at 2; colleague: 2, not assessed.
        self.assertEqual(
            (summary.expected, summary.assessed, summary.gap_total), (2, 1, 2)
        )

    def test_counting_from_standings_equals_the_database_count(self):
        competences = [self.c1, self.c2]
        standings = fetch_standings(self.people, competences)
        RoleProfile.objects.all().delete()
        plain = fetch_standings(self.people, competences)

        for everyone in (False, True):
            with self.subTest(everyone=everyone):
                self.assertEqual(
                    histograms_of(self.agency, plain, everyone=everyone),
                    child_histograms(
                        self.agency, self.people, competences, everyone=everyone
                    ),
                )
        self.assertNotEqual(
            histograms_of(self.agency, standings, everyone=True),
            histograms_of(self.agency, plain, everyone=True),
        )


class ConfiguredThresholdsTests(CastTestCase):
    def test_settings_are_moved_to_the_frameworks_scale(self):
        framework = make_framework("Åtte nivåer", competences=1, levels=8)

        thresholds = configured_thresholds(framework)

        self.assertEqual((thresholds.mentor_level, thresholds.recruit_gap), (6, 5))

    @override_settings(ANALYSIS_MENTOR_LEVEL=4, ANALYSIS_MIN_COVERAGE=3)
    def test_thresholds_come_from_settings(self):
        thresholds = configured_thresholds(self.framework)

        self.assertEqual((thresholds.mentor_level, thresholds.min_coverage), (4, 3))
