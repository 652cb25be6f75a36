"""Conversation pages: refusals and bad input change nothing."""

from __future__ import annotations

import builtins
import datetime
import io
from unittest import mock

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from conversations.models import Action, Conversation, PrivateNote
from profiles.models import Assessment
from profiles.records import record_assessments
from tests.factories import CastTestCase, make_person


class ConversationTestCase(CastTestCase):
    def make_conversation(self, person=None, **extra):  # type: ignore[no-untyped-def]
        return Conversation.objects.create(
            person=person or self.employee,
            leader=self.sub_leader.user,
            kind=Conversation.Kind.EMPLOYEE,
            planned_at=extra.pop("planned_at", timezone.now()),
            **extra,
        )

    def make_action(self, person=None, **extra):  # type: ignore[no-untyped-def]
        """An open course for the person (the employee by default)."""
        values = {
            "competence": self.competences[0],
            "kind": "develop",
            "form": "course",
            "description": "Kurs",
            "owner": self.sub_leader.user,
        }
        return Action.objects.create(person=person or self.employee, **values | extra)

    def url(self, name: str, conversation: Conversation) -> str:
        return reverse(f"conversations:{name}", args=[conversation.pk])


class PlanTests(ConversationTestCase):
    def test_leader_plans_for_someone_outside_scope_gets_404(self):
        self.login(self.sub_leader)

        response = self.client.post(
            reverse("conversations:create"),
            {
                "person": self.outsider.pk,
                "kind": "employee",
                "planned_at": "2030-01-01T10:00",
            },
        )

        self.assertEqual(response.status_code, 404)
        self.assertFalse(Conversation.objects.exists())

    def test_employee_cannot_plan_own_conversation(self):
        self.login(self.employee)

        response = self.client.post(
            reverse("conversations:create"),
            {"person": self.employee.pk, "kind": "employee", "planned_at": ""},
        )

        self.assertEqual(response.status_code, 403)
        self.assertFalse(Conversation.objects.exists())

    def test_missing_date_is_an_error(self):
        self.login(self.sub_leader)

        response = self.client.post(
            reverse("conversations:create"),
            {"person": self.employee.pk, "kind": "employee", "planned_at": ""},
        )

        self.assertEqual(response.status_code, 400)
        self.assertFalse(Conversation.objects.exists())

    def test_someone_beyond_the_listed_choices_can_be_planned(self):
        self.login(self.sub_leader)
        listed = self.client.get(reverse("conversations:create"))
        choices = listed.context["form"].fields["person"].choices
        first = next(pk for pk, _name in choices if pk)
        other = self.colleague if first == self.employee.pk else self.employee

        with mock.patch("conversations.views.PLAN_CHOICES", 1):
            shown = self.client.get(
                f"{reverse('conversations:create')}?person={other.pk}"
            )
            response = self.client.post(
                reverse("conversations:create"),
                {
                    "person": other.pk,
                    "kind": "employee",
                    "planned_at": "2030-01-01T10:00",
                },
            )

        self.assertContains(shown, f'<option value="{other.pk}" selected>')
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Conversation.objects.get().person, other)

    def test_planning_the_same_conversation_twice_is_refused(self):
        # A double click on the plan button made two identical conversations.
        self.login(self.sub_leader)
        data = {
            "person": self.employee.pk,
            "kind": "employee",
            "planned_at": "2030-01-01T10:00",
        }
        self.client.post(reverse("conversations:create"), data)

        again = self.client.post(reverse("conversations:create"), data)
        other_time = self.client.post(
            reverse("conversations:create"), {**data, "planned_at": "2030-01-02T10:00"}
        )

        self.assertContains(
            again, "har allerede en samtale på dette tidspunktet", status_code=400
        )
        self.assertEqual(other_time.status_code, 302)
        self.assertEqual(Conversation.objects.count(), 2)

    def test_moving_a_conversation_onto_another_is_refused(self):
        first = self.make_conversation(
            planned_at=timezone.now().replace(second=0, microsecond=0)
        )
        second = self.make_conversation(
            planned_at=first.planned_at + datetime.timedelta(days=1)
        )
        self.login(self.sub_leader)

        response = self.client.post(
            self.url("edit", second),
            {
                "kind": "employee",
                "planned_at": timezone.localtime(first.planned_at).strftime(
                    "%Y-%m-%dT%H:%M"
                ),
            },
        )

        self.assertEqual(response.status_code, 400)
        second.refresh_from_db()
        self.assertNotEqual(second.planned_at, first.planned_at)

    def test_nobody_chosen_is_an_error_on_the_form(self):
        self.login(self.sub_leader)

        response = self.client.post(
            reverse("conversations:create"),
            {"person": "", "kind": "employee", "planned_at": "2030-01-01T10:00"},
        )

        self.assertEqual(response.status_code, 400)
        self.assertTrue(response.context["form"].has_error("person", "required"))
        self.assertFalse(Conversation.objects.exists())

    def test_get_is_not_allowed_on_prepare(self):
        conversation = self.make_conversation()
        self.login(self.sub_leader)

        response = self.client.get(self.url("mark-prepared", conversation))

        self.assertEqual(response.status_code, 405)


class RecordTests(ConversationTestCase):
    def body(self, **extra: str) -> dict[str, str]:
        first = self.competences[0]
        today = timezone.localdate()
        return {"held_on": f"{today:%Y-%m-%d}", f"competence-{first.pk}": "2"} | extra

    def test_agreed_level_outside_the_scale_saves_nothing(self):
        conversation = self.make_conversation()
        self.login(self.sub_leader)
        first = self.competences[0]

        response = self.client.post(
            self.url("record", conversation),
            self.body(**{f"competence-{first.pk}": "9"}),
        )

        self.assertEqual(response.status_code, 400)
        self.assertFalse(Assessment.objects.exists())
        conversation.refresh_from_db()
        self.assertEqual(conversation.status, Conversation.Status.PLANNED)

    def test_held_in_the_future_saves_nothing(self):
        conversation = self.make_conversation()
        self.login(self.sub_leader)
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)

        response = self.client.post(
            self.url("record", conversation), self.body(held_on=f"{tomorrow:%Y-%m-%d}")
        )

        self.assertEqual(response.status_code, 400)
        self.assertFalse(Assessment.objects.exists())

    def test_agreed_levels_become_agreed_assessments(self):
        conversation = self.make_conversation()
        self.login(self.sub_leader)

        self.client.post(self.url("record", conversation), self.body(note="Notat"))

        [agreed] = Assessment.objects.all()
        self.assertEqual((agreed.kind, agreed.level), ("agreed", 2))
        conversation.refresh_from_db()
        self.assertEqual(conversation.notes, "Notat")

    def test_closed_conversation_is_not_changed(self):
        conversation = self.make_conversation(
            status=Conversation.Status.FOLLOWED_UP, notes="Før"
        )
        self.login(self.sub_leader)

        response = self.client.post(
            self.url("record", conversation), self.body(note="Etter"), follow=True
        )

        self.assertContains(response, "avsluttet")
        conversation.refresh_from_db()
        self.assertEqual(conversation.notes, "Før")
        self.assertFalse(Assessment.objects.exists())

    def test_closed_conversation_refuses_plan_action_and_private_note(self):
        conversation = self.make_conversation(status=Conversation.Status.FOLLOWED_UP)
        before = conversation.planned_at
        self.login(self.sub_leader)

        edited = self.client.post(
            self.url("edit", conversation),
            {"kind": "leader", "planned_at": "2030-01-01T10:00"},
            follow=True,
        )
        added = self.client.post(
            self.url("add-action", conversation),
            {
                "form": "course",
                "competence": str(self.competences[0].pk),
                "description": "Kurs",
                "owner": "leader",
                "due_on": "2030-01-01",
            },
            follow=True,
        )
        noted = self.client.post(
            self.url("private-note", conversation), {"text": "Etter"}, follow=True
        )

        for response in (edited, added, noted):
            self.assertContains(response, "avsluttet")
        conversation.refresh_from_db()
        self.assertEqual(
            (conversation.kind, conversation.planned_at), ("employee", before)
        )
        self.assertFalse(Action.objects.exists())
        self.assertFalse(PrivateNote.objects.exists())

    def test_putting_off_past_an_actions_due_date_is_allowed_and_said(self):
        conversation = self.make_conversation()
        self.make_action(
            conversation=conversation,
            due_on=timezone.localdate() + datetime.timedelta(days=7),
        )
        self.login(self.sub_leader)

        response = self.client.post(
            self.url("edit", conversation),
            {"kind": "employee", "planned_at": "2030-01-01T10:00"},
            follow=True,
        )

        self.assertContains(response, "1 åpent tiltak har frist før samtalen")
        conversation.refresh_from_db()
        self.assertEqual(conversation.date, datetime.date(2030, 1, 1))

    def test_employee_may_read_but_not_record(self):
        conversation = self.make_conversation()
        self.login(self.employee)

        read = self.client.get(self.url("detail", conversation))
        written = self.client.post(self.url("record", conversation), self.body())

        self.assertEqual(read.status_code, 200)
        self.assertEqual(written.status_code, 403)
        self.assertFalse(Assessment.objects.exists())


class ActionTests(ConversationTestCase):
    def body(self, **extra: str) -> dict[str, str]:
        return {
            "form": "course",
            "competence": str(self.competences[0].pk),
            "description": "Kurs",
            "owner": "leader",
            "due_on": "2030-01-01",
        } | extra

    def test_action_due_before_the_conversation_is_refused(self):
        conversation = self.make_conversation(
            planned_at=timezone.now() + datetime.timedelta(days=10)
        )
        self.login(self.sub_leader)
        due = timezone.localdate() + datetime.timedelta(days=1)

        response = self.client.post(
            self.url("add-action", conversation), self.body(due_on=f"{due:%Y-%m-%d}")
        )

        self.assertContains(response, "frist før samtalen", status_code=400)
        self.assertFalse(Action.objects.exists())

    def test_recruit_is_about_the_unit(self):
        conversation = self.make_conversation()
        self.login(self.sub_leader)

        self.client.post(
            self.url("add-action", conversation), self.body(form="unit_need")
        )

        action = Action.objects.get()
        self.assertEqual(
            (action.kind, action.unit, action.person), ("recruit", self.team, None)
        )

    def test_same_open_action_twice_is_refused(self):
        conversation = self.make_conversation()
        self.login(self.sub_leader)

        self.client.post(self.url("add-action", conversation), self.body())
        response = self.client.post(self.url("add-action", conversation), self.body())

        self.assertEqual(response.status_code, 400)
        self.assertEqual(Action.objects.count(), 1)

    def test_employee_without_login_cannot_own_an_action(self):
        person = make_person("Uten", self.team, login=False)
        conversation = self.make_conversation(person)
        self.login(self.sub_leader)

        response = self.client.post(
            self.url("add-action", conversation), self.body(owner="employee")
        )

        self.assertEqual(response.status_code, 400)
        self.assertFalse(Action.objects.exists())

    def test_outsider_cannot_mark_an_action_done(self):
        conversation = self.make_conversation()
        self.login(self.sub_leader)
        self.client.post(self.url("add-action", conversation), self.body())
        action = Action.objects.get()
        self.login(self.other_leader)

        response = self.client.post(
            reverse("conversations:action-status", args=[action.pk]), {"status": "done"}
        )

        self.assertEqual(response.status_code, 404)
        action.refresh_from_db()
        self.assertEqual(action.status, Action.Status.OPEN)

    def test_marking_an_earlier_action_done_goes_back_to_the_sheet(self):
        earlier = self.make_conversation(status=Conversation.Status.FOLLOWED_UP)
        action = self.make_action(conversation=earlier)
        now = self.make_conversation()
        self.login(self.sub_leader)
        sheet = self.client.get(self.url("detail", now))

        response = self.client.post(
            reverse("conversations:action-status", args=[action.pk]),
            {"status": "done", "back": str(now.pk)},
        )

        self.assertContains(sheet, f'name="back" value="{now.pk}"')
        self.assertRedirects(response, self.url("detail", now))
        action.refresh_from_db()
        self.assertEqual(action.status, Action.Status.DONE)

    def test_going_back_to_a_sheet_of_someone_else_is_ignored(self):
        earlier = self.make_conversation()
        action = self.make_action(conversation=earlier)
        outside = self.make_conversation(self.outsider)
        self.login(self.sub_leader)

        response = self.client.post(
            reverse("conversations:action-status", args=[action.pk]),
            {"status": "done", "back": str(outside.pk)},
        )

        self.assertRedirects(response, self.url("detail", earlier))


class HeldSheetTests(ConversationTestCase):
    def test_a_self_assessment_after_the_conversation_does_not_count_for_it(self):
        held = timezone.localdate() - datetime.timedelta(days=30)
        conversation = self.make_conversation(
            status=Conversation.Status.FOLLOWED_UP,
            planned_at=timezone.now() - datetime.timedelta(days=40),
            held_on=held,
        )
        conversation.created_at = timezone.now() - datetime.timedelta(days=40)
        conversation.save()
        record_assessments(
            self.employee, "self", {self.competences[0]: 2}, by=self.employee.user
        )
        self.login(self.sub_leader)

        response = self.client.get(self.url("detail", conversation))

        self.assertFalse(response.context["sheet"].self_assessed_since_planned)
        self.assertContains(response, "Ikke gjort")
        self.assertContains(response, "slik de står i dag")


class DownloadNameTests(ConversationTestCase):
    def test_downloads_are_named_in_the_readers_language(self):
        conversation = self.make_conversation()
        self.login(self.sub_leader)
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

        pdf = self.client.get(self.url("pdf", conversation))
        ics = self.client.get(reverse("conversations:calendar"))

        self.assertIn(
            f'filename="conversation-{conversation.pk}.pdf"', pdf["Content-Disposition"]
        )
        self.assertIn('filename="conversations.ics"', ics["Content-Disposition"])


class PdfTests(ConversationTestCase):
    def pdf_text(self, conversation: Conversation) -> str:
        response = self.client.get(self.url("pdf", conversation))
        self.assertEqual(response["Content-Type"], "application/pdf")
        pages = PdfReader(io.BytesIO(response.content)).pages
        return "\n".join(page.extract_text() for page in pages)

    def test_the_pdf_names_who_is_responsible_for_each_action(self):
        self.employee.first_name, self.employee.last_name = "Åse", "Brække"
        self.employee.save()
        conversation = self.make_conversation()
        for form, owner in (("course", "employee"), ("project", "leader")):
            self.login(self.sub_leader)
            self.client.post(
                self.url("add-action", conversation),
                {
                    "form": form,
                    "competence": str(self.competences[0].pk),
                    "description": f"Tiltak {form}",
                    "owner": owner,
                    "due_on": "2030-01-01",
                },
            )

        text = self.pdf_text(conversation)

        self.assertEqual(Action.objects.count(), 2)
        self.assertIn("ansvarlig Åse Brække", text)
        self.assertIn(f"ansvarlig {self.sub_leader.full_name}", text)

    def test_a_time_ending_in_a_stop_is_not_followed_by_another(self):
        # English times end in "a.m." or "p.m.", and the sentence that
        # names the planned time ends with a full stop of its own.
        planned = timezone.make_aware(datetime.datetime(2030, 1, 2, 10, 0))
        conversation = self.make_conversation(planned_at=planned)
        self.login(self.sub_leader)
        self.client.cookies["django_language"] = "en"

        text = self.pdf_text(conversation)

        self.assertIn("Planned for Jan. 2, 2030, 10 a.m. Status: planned.", text)
        self.assertNotIn("..", text)

    def test_without_the_pdf_library_the_page_says_what_is_missing(self):
        conversation = self.make_conversation()
        self.login(self.sub_leader)
        real_import = builtins.__import__

        def no_fpdf(name, *args, **kwargs):  # type: ignore[no-untyped-def]
            if name == "fpdf" or name.startswith("fpdf."):
                raise ImportError("No module named 'fpdf'")
            return real_import(name, *args, **kwargs)

        with (
            mock.patch("builtins.__import__", no_fpdf),
            self.assertLogs("conversations.pdf", "ERROR"),
        ):
            response = self.client.get(self.url("pdf", conversation))

        self.assertContains(response, "fpdf2", status_code=503)


class PrivateNoteTests(ConversationTestCase):
    def test_private_note_is_shown_only_to_its_author(self):
        conversation = self.make_conversation()
        self.login(self.sub_leader)
        self.client.post(self.url("private-note", conversation), {"text": "Hemmelig"})

        mine = self.client.get(self.url("detail", conversation))
        self.login(self.leader)
        leaders = self.client.get(self.url("detail", conversation))
        self.login(self.employee)
        employees = self.client.get(self.url("detail", conversation))
        self.client.force_login(self.hr_reader)
        hrs = self.client.get(self.url("detail", conversation))

        self.assertContains(mine, "Hemmelig")
        for response in (leaders, employees, hrs):
            self.assertNotContains(response, "Hemmelig")
        self.assertEqual(PrivateNote.objects.count(), 1)


class OverviewTests(ConversationTestCase):
    def test_query_count_does_not_grow_with_the_list(self):
        self.login(self.leader)
        self.make_conversation()
        one = self.count_queries()
        for number in range(5):
            person = make_person(f"Flere{number}", self.team)
            self.make_conversation(person)
            self.make_action(person)

        self.assertEqual(self.count_queries(), one)

    def count_queries(self) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(reverse("conversations:list"))
        self.assertEqual(response.status_code, 200)
        return len(queries)

    def test_overdue_conversation_is_flagged(self):
        self.make_conversation(planned_at=timezone.now() - datetime.timedelta(days=3))
        self.login(self.sub_leader)

        response = self.client.get(reverse("conversations:list"))

        self.assertContains(response, "forfalt")

    def test_overdue_actions_come_first_and_are_flagged(self):
        common = {
            "kind": "develop",
            "description": "Kurs",
            "owner": self.sub_leader.user,
        }
        Action.objects.create(
            person=self.employee, competence=self.competences[0], form="", **common
        )
        overdue = Action.objects.create(
            person=self.colleague,
            competence=self.competences[1],
            form="course",
            due_on=timezone.localdate() - datetime.timedelta(days=2),
            **common,
        )
        self.login(self.sub_leader)

        response = self.client.get(reverse("conversations:list"))

        [(first, flag), _undated] = response.context["actions"]
        self.assertEqual((first, flag.overdue), (overdue, True))
        self.assertContains(response, "forfalt")


class CalendarTests(ConversationTestCase):
    def test_planned_conversations_as_icalendar(self):
        self.make_conversation(participants="Tillitsvalgt, HR; og Åse")
        self.login(self.sub_leader)

        response = self.client.get(reverse("conversations:calendar"))

        self.assertEqual(response["Content-Type"], "text/calendar; charset=utf-8")
        self.assertIn('filename="samtaler.ics"', response["Content-Disposition"])
        text = response.content.decode()
        self.assertTrue(text.startswith("BEGIN:VCALENDAR\r\n"))
        self.assertIn("DESCRIPTION:Tillitsvalgt\\, HR\\; og Åse\r\n", text)
        self.assertEqual(text.count("BEGIN:VEVENT"), 1)
        self.assertNotIn("\n", text.replace("\r\n", ""))

    def test_control_characters_are_left_out(self):
        # RFC 5545 allows no control character but tab in a TEXT value; an
        # HR file may bring one in a name.
        self.employee.first_name = "Åse\x1b[31m"
        self.employee.save()
        self.make_conversation(participants="Ola\x07\tNordmann\x0b")
        self.login(self.sub_leader)

        response = self.client.get(reverse("conversations:calendar"))

        text = response.content.decode()
        self.assertIn("SUMMARY:medarbeidersamtale: Åse[31m", text)
        self.assertIn("DESCRIPTION:Ola\tNordmann\r\n", text)

    def test_long_lines_are_folded_at_75_octets_without_splitting_letters(self):
        self.employee.first_name = "Ærlendø Åsmund Øystein-Kristoffersen Hætta"
        self.employee.last_name = "Sørensen-Bjørnstad Ødegård Åkerøy"
        self.employee.save()
        conversation = self.make_conversation()
        self.login(self.sub_leader)

        response = self.client.get(reverse("conversations:calendar"))

        lines = response.content.split(b"\r\n")
        self.assertEqual(lines[-1], b"")
        self.assertTrue(all(len(line) <= 75 for line in lines))
        self.assertTrue(any(line.startswith(b" ") for line in lines))
        text = response.content.decode().replace("\r\n ", "")
        self.assertIn(f"SUMMARY:medarbeidersamtale: {self.employee.full_name}", text)
        self.assertIn(f"UID:conversation-{conversation.pk}@testserver\r\n", text)
        self.assertRegex(text, r"DTSTAMP:\d{8}T\d{6}Z\r\n")

    def test_only_the_conversations_the_user_holds_or_is_the_person_of(self):
        self.make_conversation()
        self.login(self.leader)

        theirs = self.client.get(reverse("conversations:calendar"))
        self.login(self.employee)
        own = self.client.get(reverse("conversations:calendar"))

        self.assertNotIn(b"BEGIN:VEVENT", theirs.content)
        self.assertEqual(own.content.count(b"BEGIN:VEVENT"), 1)

    def test_outsiders_conversations_are_not_in_the_file(self):
        self.make_conversation(self.outsider)
        self.login(self.sub_leader)

        response = self.client.get(reverse("conversations:calendar"))

        self.assertNotIn(b"BEGIN:VEVENT", response.content)


class DueTests(ConversationTestCase):
    """Whose conversation is due: nobody open, nothing held in a year."""

    def due(self) -> list[str]:
        response = self.client.get(reverse("conversations:list"))
        self.assertEqual(response.status_code, 200)
        return [person.full_name for person in response.context["due"]]

    def test_people_without_a_recent_or_open_conversation_are_due(self):
        long_ago = timezone.localdate() - datetime.timedelta(days=400)
        lately = timezone.localdate() - datetime.timedelta(days=100)
        planned = make_person("Planlagt", self.team)
        self.make_conversation(planned)
        old = make_person("Gammel", self.team)
        self.make_conversation(old, status="followed_up", held_on=long_ago)
        recent = make_person("Nylig", self.team)
        self.make_conversation(recent, status="followed_up", held_on=lately)
        self.login(self.sub_leader)

        due = self.due()

        self.assertIn(self.employee.full_name, due)
        self.assertIn(old.full_name, due)
        self.assertNotIn(planned.full_name, due)
        self.assertNotIn(recent.full_name, due)
        self.assertNotIn(self.sub_leader.full_name, due)

    def test_only_people_the_login_may_plan_for(self):
        self.login(self.employee)

        self.assertEqual(self.due(), [])

    def test_the_plan_link_chooses_the_person(self):
        self.login(self.sub_leader)

        response = self.client.get(reverse("conversations:list"))

        self.assertContains(
            response,
            f'href="{reverse("conversations:create")}?person={self.employee.pk}"',
        )
