from __future__ import annotations

import random

from django.test import SimpleTestCase
from django.utils import translation

from analysis.rules import (
    ASSESS,
    Standing,
    Thresholds,
    histogram_of,
    is_mentor,
    plan_competence,
    summarise,
    summary_of,
    tally,
    thin_coverage,
)

DEFAULT = Thresholds(mentor_level=3, recruit_gap=2, min_coverage=2)


def plan(*standings: Standing, thresholds: Thresholds = DEFAULT):  # type: ignore[no-untyped-def]
    return plan_competence(7, "Kreativitet", "Seksjonen", standings, thresholds)


def person(pk: int, name: str, expected: int | None, current: int | None) -> Standing:
    return Standing(pk, name, expected, current)


class PlanCompetenceTests(SimpleTestCase):
    def setUp(self) -> None:
        self.enterContext(translation.override("en"))

    def test_no_assessments_proposes_only_assessments(self):
        result = plan(person(1, "Ada", 3, None), person(2, "Bo", 2, None))

        self.assertEqual([p.kind for p in result.proposals], [ASSESS, ASSESS])
        self.assertIn("Ada", result.assess[0].reason)
        self.assertIn("not been assessed", result.assess[0].reason)

    def test_only_a_self_assessment_counts_as_the_current_level(self):
        result = plan(person(1, "Ada", 3, 1))

        self.assertEqual(len(result.develop), 1)
        self.assertIn("gap 2", result.develop[0].reason)

    def test_a_reason_says_which_assessment_a_level_comes_from(self):
        result = plan(
            Standing(1, "Ada", 3, 1, "self"), Standing(2, "Bo", 3, 4, "leader")
        )

        self.assertIn("Ada is at level 1 (self-assessment)", result.develop[0].reason)
        self.assertIn("level 4 (leader's assessment)", result.mobilise[0].reason)

    def test_person_without_expectation_is_never_developed(self):
        result = plan(person(1, "Ada", None, 1), person(2, "Bo", None, None))

        self.assertFalse(result)

    def test_person_without_expectation_above_mentor_level_is_unused(self):
        result = plan(person(1, "Ada", None, 4))

        self.assertEqual(len(result.mobilise), 1)
        self.assertIn("unused", result.mobilise[0].reason)

    def test_mentor_is_named_for_named_colleague(self):
        result = plan(person(1, "Ada", 3, 4), person(2, "Bo", 3, 1))

        [mobilise] = result.mobilise
        [develop] = result.develop
        self.assertEqual(mobilise.person_id, 1)
        self.assertEqual(mobilise.mentee_ids, (2,))
        self.assertIn("Ada", mobilise.reason)
        self.assertIn("Bo", mobilise.reason)
        self.assertEqual(develop.mentor_id, 1)
        self.assertIn("Mentor: Ada (level 4)", develop.reason)

    def test_mentor_below_the_learners_expectation_is_not_matched(self):
        result = plan(person(1, "Ada", 2, 3), person(2, "Bo", 4, 3))

        [develop] = result.develop
        self.assertIsNone(develop.mentor_id)
        self.assertIn("learning resource", develop.reason)

    def test_mentees_are_shared_between_equal_mentors(self):
        result = plan(
            person(1, "Ada", 3, 4),
            person(2, "Bo", 3, 4),
            person(3, "Cai", 3, 2),
            person(4, "Di", 3, 2),
        )

        mentors = {p.mentor_id for p in result.develop}
        self.assertEqual(mentors, {1, 2})

    def test_load_is_shared_before_the_highest_level_is_preferred(self):
        result = plan(
            person(1, "Ada", 3, 4),
            person(2, "Bo", 3, 3),
            person(3, "Cai", 3, 2),
            person(4, "Di", 3, 2),
        )

        self.assertEqual([p.mentor_id for p in result.develop], [1, 2])

    def test_nobody_reaching_the_level_with_large_gaps_recruits(self):
        result = plan(person(1, "Ada", 3, 1), person(2, "Bo", 3, 1))

        [recruit] = result.recruit
        self.assertEqual((recruit.level, recruit.count), (3, 2))
        self.assertIn("Nobody in Seksjonen reaches level 3", recruit.reason)
        self.assertEqual(len(result.develop), 2)

    def test_small_gaps_develop_instead_of_recruit(self):
        result = plan(person(1, "Ada", 3, 2), person(2, "Bo", 3, 2))

        self.assertEqual(result.recruit, [])
        self.assertEqual(len(result.develop), 2)

    def test_unassessed_people_prevent_recruitment(self):
        result = plan(person(1, "Ada", 3, 1), person(2, "Bo", 3, None))

        self.assertEqual(len(result.recruit), 1)
        self.assertEqual(result.recruit[0].count, 1)

    def test_leader_alone_in_unit_gets_no_proposals(self):
        # The leader is never in their own scope: the query passes nobody.
        result = plan()

        self.assertFalse(result)

    def test_met_expectations_propose_nothing(self):
        result = plan(person(1, "Ada", 3, 3), person(2, "Bo", 3, 3))

        self.assertFalse(result)


class ThresholdScaleTests(SimpleTestCase):
    def test_reference_scale_keeps_the_thresholds(self):
        self.assertEqual(DEFAULT.for_scale(1, 4), DEFAULT)

    def test_zero_to_four_scale(self):
        scaled = DEFAULT.for_scale(0, 4)

        self.assertEqual((scaled.mentor_level, scaled.recruit_gap), (3, 3))

    def test_one_to_eight_scale(self):
        scaled = DEFAULT.for_scale(1, 8)

        self.assertEqual((scaled.mentor_level, scaled.recruit_gap), (6, 5))

    def test_one_to_eight_scale_mentors_only_at_six(self):
        scaled = DEFAULT.for_scale(1, 8)

        result = plan(
            person(1, "Ada", None, 5), person(2, "Bo", None, 6), thresholds=scaled
        )

        self.assertEqual([p.person_id for p in result.mobilise], [2])

    def test_one_to_eight_scale_gap_of_four_develops(self):
        scaled = DEFAULT.for_scale(1, 8)

        result = plan(person(1, "Ada", 7, 3), thresholds=scaled)

        self.assertEqual(result.recruit, [])
        self.assertEqual(len(result.develop), 1)


class SummariseTests(SimpleTestCase):
    def test_counts_coverage_and_mean_gap(self):
        summary = summarise(
            [
                person(1, "Ada", 3, 4),
                person(2, "Bo", 3, 1),
                person(3, "Cai", 2, None),
                person(4, "Di", None, 2),
            ]
        )

        self.assertEqual((summary.expected, summary.met), (3, 1))
        self.assertEqual(summary.mean_gap, 1.0)
        self.assertEqual(summary.band, "poor")

    def test_nobody_expected_has_no_coverage(self):
        summary = summarise([person(1, "Ada", None, 2)])

        self.assertIsNone(summary.coverage)
        self.assertEqual(summary.band, "none")


class ThinCoverageTests(SimpleTestCase):
    def test_one_holder_is_below_a_minimum_of_two(self):
        holders, thin = thin_coverage(
            [person(1, "Ada", None, 3), person(2, "Bo", 3, 2)], DEFAULT
        )

        self.assertEqual((holders, thin), (1, True))

    def test_two_holders_are_enough(self):
        holders, thin = thin_coverage(
            [person(1, "Ada", None, 3), person(2, "Bo", 3, 4)], DEFAULT
        )

        self.assertEqual((holders, thin), (2, False))


class TallyTests(SimpleTestCase):
    """The counted plan of a large unit follows the same rules as the named
    one: on many random groups, every count equals what the named plan
    proposes."""

    def test_counts_equal_the_named_plan_on_random_groups(self):
        rng = random.Random(5)
        for case in range(300):
            low, high = rng.choice([(1, 4), (0, 4), (1, 8)])
            thresholds = DEFAULT.for_scale(low, high)
            levels = [None, *range(low, high + 1)]
            standings = [
                person(pk, f"P{pk}", rng.choice(levels), rng.choice(levels))
                for pk in range(rng.randint(0, 12))
            ]
            named = plan(*standings, thresholds=thresholds)
            counted = tally(histogram_of(standings), thresholds)
            with self.subTest(case=case, standings=standings):
                self.assertEqual(counted.learners, len(named.develop))
                self.assertEqual(counted.unassessed, len(named.assess))
                self.assertEqual(
                    counted.mentors,
                    sum(1 for s in standings if is_mentor(s, thresholds)),
                )
                self.assertEqual(
                    (counted.holders, counted.thin),
                    thin_coverage(standings, thresholds),
                )
                recruit = [(p.level, p.count) for p in named.recruit]
                need = counted.recruit
                self.assertEqual(
                    recruit, [(need.level, need.shortfall)] if need else []
                )
                self.assertEqual(
                    summary_of(histogram_of(standings)), summarise(standings)
                )
