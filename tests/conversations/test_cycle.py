"""The whole cycle of issue 6, through the pages, as leader and employee."""

from __future__ import annotations

import datetime
import io

from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from analysis.queries import fetch_standings
from conversations.models import Action, Conversation
from profiles.models import Assessment, Expectation
from tests.factories import CastTestCase


class ConversationCycleTests(CastTestCase):
    def test_planned_prepared_held_pdf_and_followed_up(self):
        self.employee.first_name, self.employee.last_name = "Bjørn", "Æsøy-Åberg"
        self.employee.save()
        first, second = self.competences[:2]
        for competence in (first, second):
            Expectation.objects.create(
                person=self.employee, competence=competence, level=3
            )
        today = timezone.localdate()

        # The leader plans it.
        self.login(self.sub_leader)
        response = self.client.post(
            reverse("conversations:create"),
            {
                "person": self.employee.pk,
                "kind": "development",
                "planned_at": f"{today:%Y-%m-%d}T09:00",
                "participants": "Tillitsvalgt",
            },
        )
        conversation = Conversation.objects.get()
        self.assertRedirects(
            response, reverse("conversations:detail", args=[conversation.pk])
        )

        # The employee is asked to assess themself, and does.
        self.login(self.employee)
        page = self.client.get(reverse("conversations:detail", args=[conversation.pk]))
        self.assertTrue(page.context["own"])
        self.assertFalse(page.context["sheet"].self_assessed_since_planned)
        levels = {f"competence-{first.pk}": "1", f"competence-{second.pk}": "3"}
        self.client.post(reverse("profiles:me"), levels | {"note": ""})

        # The leader sees that and prepares.
        self.login(self.sub_leader)
        overview = self.client.get(reverse("conversations:list"))
        [(row, _flag)] = overview.context["rows"]
        self.assertTrue(row.self_assessed)
        self.client.post(reverse("conversations:mark-prepared", args=[conversation.pk]))
        conversation.refresh_from_db()
        self.assertEqual(conversation.status, Conversation.Status.PREPARED)

        # Held, with agreed levels and two actions.
        self.client.post(
            reverse("conversations:record", args=[conversation.pk]),
            {
                "held_on": f"{today:%Y-%m-%d}",
                f"competence-{first.pk}": "2",
                f"competence-{second.pk}": "3",
                "note": "Vi ble enige om kurs i tjenestedesign for Bjørn.",
            },
        )
        for form, competence, text in (
            ("course", first, "Kurs i tjenestedesign"),
            ("mentor", second, "Mentor for Kåre på nye prosjekter"),
        ):
            self.client.post(
                reverse("conversations:add-action", args=[conversation.pk]),
                {
                    "form": form,
                    "competence": competence.pk,
                    "description": text,
                    "owner": "employee",
                    "due_on": f"{today + datetime.timedelta(days=30):%Y-%m-%d}",
                },
            )
        conversation.refresh_from_db()
        self.assertEqual(conversation.status, Conversation.Status.HELD)
        self.assertEqual(conversation.actions.count(), 2)
        agreed = Assessment.objects.current().get(
            person=self.employee, competence=first, kind="agreed"
        )
        self.assertEqual(agreed.level, 2)

        # The PDF holds the right content, æøå included.
        pdf = self.client.get(reverse("conversations:pdf", args=[conversation.pk]))
        self.assertEqual(pdf["Content-Type"], "application/pdf")
        text = "\n".join(
            page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages
        )
        self.assertIn("Bjørn Æsøy-Åberg", text)
        # Expected, self, leader, agreed level and gap of the first competence.
        self.assertIn(f"{first.name} 3 1 – 2 1", text)
        self.assertIn("ansvarlig Bjørn Æsøy-Åberg", text)
        self.assertIn("Kurs i tjenestedesign", text)
        self.assertIn("Mentor for Kåre", text)
        self.assertIn("kurs i tjenestedesign for Bjørn", text)

        # Follow-up: an action is done, and the conversation closed.
        course = conversation.actions.get(form="course")
        self.client.post(
            reverse("conversations:action-status", args=[course.pk]),
            {"status": "done"},
        )
        self.client.post(reverse("conversations:close", args=[conversation.pk]))
        course.refresh_from_db()
        conversation.refresh_from_db()
        self.assertEqual(course.status, Action.Status.DONE)
        self.assertEqual(conversation.status, Conversation.Status.FOLLOWED_UP)

        # The gap analysis reads the agreed level, not the self-assessment.
        standings = fetch_standings(
            type(self.employee).objects.filter(pk=self.employee.pk),
            self.competences,
            "",
        )
        standing = standings.by_key[(self.employee.pk, first.pk)]
        self.assertEqual((standing.expected, standing.current), (3, 2))
