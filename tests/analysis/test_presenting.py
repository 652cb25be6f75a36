from __future__ import annotations

from django.test import SimpleTestCase

from analysis.presenting import mark_plans
from analysis.rules import DEVELOP, Plan, Proposal
from organisation.models import OrgUnit


def develop(person_id: int) -> Proposal:
    return Proposal(kind=DEVELOP, competence_id=7, message="r", person_id=person_id)


class MarkPlansTests(SimpleTestCase):
    def test_long_sections_are_cut_and_counted(self):
        plan = Plan(7, "Kreativitet", develop=[develop(pk) for pk in range(1, 16)])

        [marked] = mark_plans([plan], OrgUnit(pk=1), set(), shown=10)

        self.assertEqual((len(marked.develop.items), marked.develop.hidden), (10, 5))

    def test_proposal_with_an_open_action_is_marked_taken(self):
        plan = Plan(7, "Kreativitet", develop=[develop(1), develop(2)])

        [marked] = mark_plans([plan], OrgUnit(pk=1), {(DEVELOP, 7, 2, None)}, shown=10)

        self.assertEqual([i.taken for i in marked.develop.items], [False, True])

    def test_plans_without_proposals_are_left_out(self):
        self.assertEqual(
            mark_plans([Plan(7, "Kreativitet")], OrgUnit(pk=1), set(), 10), []
        )
