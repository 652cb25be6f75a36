from __future__ import annotations

import re

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from catalogue.loading import framework_data
from catalogue.models import Comment, Competence, Framework
from catalogue.versions import differences, publish, start_draft
from conversations.models import Action
from profiles.grid import build_rows
from profiles.models import Assessment, Expectation
from profiles.records import record_assessments, set_expectations
from tests.factories import (
    CastTestCase,
    load_bundled_framework,
    make_catalogue_owner,
    make_role_profile,
)


class VersionTestCase(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.owner = make_catalogue_owner()

    def setUp(self) -> None:
        self.client.force_login(self.owner)

    def draft_url(self, name: str, draft: Framework, *args: object) -> str:
        return reverse(f"catalogue:{name}", args=[draft.pk, *args])


class StartDraftTests(VersionTestCase):
    def test_owner_starts_a_draft_copy_with_the_same_uuids(self):
        response = self.client.post(
            reverse("catalogue:start-draft", args=[self.framework.pk])
        )

        draft = Framework.objects.get(status=Framework.Status.DRAFT)
        self.assertRedirects(response, self.draft_url("draft", draft))
        self.assertEqual(draft.version, 2)
        self.assertEqual(
            list(draft.competences.values_list("uuid", flat=True)),
            list(self.framework.competences.values_list("uuid", flat=True)),
        )
        self.assertNotEqual(draft.scale_id, self.framework.scale_id)

    def test_starting_twice_gives_the_same_draft(self):
        first = start_draft(self.framework)

        second = start_draft(self.framework)

        self.assertEqual(first, second)

    def test_non_owner_gets_403(self):
        self.login(self.leader)

        response = self.client.post(
            reverse("catalogue:start-draft", args=[self.framework.pk])
        )

        self.assertEqual(response.status_code, 403)
        self.assertFalse(Framework.objects.filter(status="draft").exists())

    def test_wrong_method_is_405(self):
        response = self.client.get(
            reverse("catalogue:start-draft", args=[self.framework.pk])
        )

        self.assertEqual(response.status_code, 405)


class EditDraftTests(VersionTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.draft = start_draft(self.framework)
        self.competence = self.draft.competences.first()

    def test_edit_competence_indicators_order_and_level_text(self):
        url = self.draft_url("edit-competence", self.draft, self.competence.pk)

        response = self.client.post(
            url,
            {
                "name": "Kreativitet",
                "description": "Ny tekst",
                "indicators": "Første\nAndre",
                "level_3": "Lærer bort kreative metoder.",
            },
        )

        self.assertRedirects(response, self.draft_url("draft", self.draft))
        texts = [link.indicator.text for link in self.competence.indicator_links.all()]
        self.assertEqual(texts, ["Første", "Andre"])
        self.assertEqual(
            self.competence.level_texts.get(number=3).description,
            "Lærer bort kreative metoder.",
        )

    def test_edited_line_keeps_its_uuid(self):
        url = self.draft_url("edit-competence", self.draft, self.competence.pk)
        self.client.post(url, {"name": "K", "indicators": "Første\nAndre"})
        first = self.competence.indicator_links.get(position=1).indicator.uuid

        self.client.post(url, {"name": "K", "indicators": "Første, endret\nAndre"})

        link = self.competence.indicator_links.get(position=1)
        self.assertEqual(link.indicator.uuid, first)
        self.assertEqual(link.indicator.text, "Første, endret")

    def test_differences_show_what_changed(self):
        url = self.draft_url("edit-competence", self.draft, self.competence.pk)
        self.client.post(url, {"name": "Nytt navn", "indicators": "Ny linje"})

        response = self.client.get(self.draft_url("draft", self.draft))

        self.assertContains(response, "Nytt navn")
        self.assertContains(response, "Ny linje")

    def test_draft_page_has_no_duplicate_ids(self):
        response = self.client.get(self.draft_url("draft", self.draft))

        ids = re.findall(r'id="([^"]+)"', response.content.decode())
        self.assertEqual(len(ids), len(set(ids)))

    def test_published_version_cannot_be_edited_here(self):
        competence = self.framework.competences.first()
        url = self.draft_url("edit-competence", self.framework, competence.pk)

        response = self.client.post(url, {"name": "X", "indicators": ""})

        self.assertEqual(response.status_code, 404)
        competence.refresh_from_db()
        self.assertNotEqual(competence.name, "X")

    def test_non_owner_gets_403_everywhere(self):
        self.login(self.leader)
        urls = [
            self.draft_url("draft", self.draft),
            self.draft_url("edit-competence", self.draft, self.competence.pk),
        ]

        for url in urls:
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 403)
        response = self.client.post(self.draft_url("publish", self.draft))
        self.assertEqual(response.status_code, 403)
        self.draft.refresh_from_db()
        self.assertEqual(self.draft.status, Framework.Status.DRAFT)

    def test_move_and_add_competence(self):
        second = self.draft.competences.all()[1]

        self.client.post(
            self.draft_url("move-competence", self.draft, second.pk),
            {"direction": "up"},
        )
        self.client.post(
            self.draft_url("add-competence", self.draft), {"name": "Ny kompetanse"}
        )

        names = list(self.draft.competences.values_list("name", flat=True))
        self.assertEqual(names[0], second.name)
        self.assertEqual(names[-1], "Ny kompetanse")

    def test_forged_direction_changes_nothing(self):
        before = list(self.draft.competences.values_list("pk", flat=True))

        response = self.client.post(
            self.draft_url("move-competence", self.draft, self.competence.pk),
            {"direction": "sideways"},
        )

        self.assertContains(response, "Skjemaet var skadet", status_code=400)
        self.assertEqual(
            list(self.draft.competences.values_list("pk", flat=True)), before
        )

    def test_level_in_use_cannot_be_deleted(self):
        set_expectations(
            self.employee, {self.framework.competences.first(): 4}, by=self.leader.user
        )
        data = {f"name_{n}": f"Nivå {n}" for n in (1, 2, 3)}

        response = self.client.post(self.draft_url("save-scale", self.draft), data)

        self.assertContains(response, "Nivå 4 brukes av 1", status_code=400)
        self.assertEqual(self.draft.scale.level_numbers(), [1, 2, 3, 4])

    def test_level_a_role_profile_expects_cannot_be_deleted(self):
        make_role_profile(self.agency, {self.framework.competences.first(): 4})
        data = {f"name_{n}": f"Nivå {n}" for n in (1, 2, 3)}

        response = self.client.post(self.draft_url("save-scale", self.draft), data)

        self.assertContains(response, "Nivå 4 brukes av 1", status_code=400)
        self.assertEqual(self.draft.scale.level_numbers(), [1, 2, 3, 4])

    def test_version_without_a_level_a_role_profile_expects_is_not_published(self):
        profile = make_role_profile(
            self.agency, {self.framework.competences.first(): 4}
        )
        self.draft.scale.levels.filter(number=4).delete()

        response = self.client.post(self.draft_url("publish", self.draft))

        self.assertRedirects(response, self.draft_url("draft", self.draft))
        self.draft.refresh_from_db()
        self.assertEqual(self.draft.status, Framework.Status.DRAFT)
        self.assertEqual(profile.levels.get().competence.framework, self.framework)

    def test_unused_level_is_deleted_and_new_one_added(self):
        data = {f"name_{n}": f"Nivå {n}" for n in (1, 2, 3)}
        data.update({"new_number": "0", "name_new": "Ingen"})

        self.client.post(self.draft_url("save-scale", self.draft), data)

        self.assertEqual(self.draft.scale.level_numbers(), [0, 1, 2, 3])
        self.assertEqual(self.framework.scale.level_numbers(), [1, 2, 3, 4])

    def test_competence_in_use_cannot_be_deleted(self):
        set_expectations(self.employee, {self.framework.competences.first(): 2},
                         by=self.leader.user)  # fmt: skip
        used = self.framework.competences.first()
        self.framework.status = Framework.Status.DRAFT
        self.framework.save()

        self.client.post(self.draft_url("delete-competence", self.framework, used.pk))

        self.assertTrue(Competence.objects.filter(pk=used.pk).exists())


class PublishTests(VersionTestCase):
    def test_comment_goes_from_posted_to_published_version(self):
        competence = self.competences[0]
        thread = reverse(
            "catalogue:comment-thread",
            args=[self.framework.pk, "competence", competence.uuid],
        )
        self.login(self.employee)
        self.client.post(thread, {"text": "Legg til en linje om deling."})
        comment = Comment.objects.get()
        self.client.force_login(self.owner)
        moderate = reverse("catalogue:moderate-comment", args=[comment.pk])
        self.client.post(moderate, {"action": "answer", "answer": "Vi ser på det."})
        self.client.post(moderate, {"action": "accept", "answer": "Tas inn."})
        draft = start_draft(self.framework)

        response = self.client.post(self.draft_url("publish", draft))

        self.assertRedirects(response, self.draft_url("framework-detail", draft))
        comment.refresh_from_db()
        self.assertEqual(comment.published_in, draft)
        self.framework.refresh_from_db()
        self.assertEqual(self.framework.status, Framework.Status.RETIRED)
        self.login(self.employee)
        page = self.client.get(thread)
        self.assertContains(page, "tatt inn i versjon 2")

    def test_expectations_follow_the_competence_uuid(self):
        competence = self.competences[0]
        set_expectations(self.employee, {competence: 3}, by=self.leader.user)
        draft = start_draft(self.framework)

        publish(draft, self.owner)

        new = draft.competences.get(uuid=competence.uuid)
        [row] = build_rows([self.employee], [new])
        self.assertEqual(row.cells[0].expected, 3)
        self.assertEqual(Expectation.objects.filter(competence=competence).count(), 1)

    def test_ticked_indicators_follow_the_self_assessment(self):
        framework = load_bundled_framework()
        competence = framework.competences.first()
        kept, dropped, unticked = [
            link.indicator for link in competence.indicator_links.all()[:3]
        ]
        record_assessments(
            self.employee,
            "self",
            {competence: 2},
            by=self.employee.user,
            indicators={competence: [kept.pk, dropped.pk]},
        )
        draft = start_draft(framework)
        new = draft.competences.get(uuid=competence.uuid)
        draft.indicators.get(uuid=dropped.uuid).delete()

        publish(draft, self.owner)

        current = Assessment.objects.current().get(person=self.employee)
        self.assertEqual(current.competence, new)
        self.assertEqual(
            list(current.indicators.values_list("framework", "uuid")),
            [(draft.pk, kept.uuid)],
        )
        old = Assessment.objects.get(competence=competence)
        self.assertEqual(old.indicators.count(), 2)
        self.assertNotIn(unticked.uuid, current.indicators.values_list("uuid"))

    def test_role_profiles_and_open_actions_follow_the_competence(self):
        competence = self.competences[0]
        profile = make_role_profile(self.agency, {competence: 4})
        owner = self.leader.user
        open_action = Action.objects.create(
            kind="develop", competence=competence, person=self.employee, owner=owner
        )
        done = Action.objects.create(
            kind="develop",
            competence=competence,
            person=self.employee,
            owner=owner,
            status=Action.Status.DONE,
        )
        draft = start_draft(self.framework)

        publish(draft, self.owner)

        new = draft.competences.get(uuid=competence.uuid)
        self.assertEqual(
            list(profile.levels.values_list("competence", "level")), [(new.pk, 4)]
        )
        open_action.refresh_from_db()
        done.refresh_from_db()
        self.assertEqual(open_action.competence, new)
        self.assertEqual(done.competence, competence)

    def test_removed_competence_keeps_its_history_on_the_retired_version(self):
        competence = self.competences[0]
        set_expectations(self.employee, {competence: 3}, by=self.leader.user)
        draft = start_draft(self.framework)
        draft.competences.get(uuid=competence.uuid).delete()

        publish(draft, self.owner)

        old = Expectation.objects.get(competence=competence)
        self.assertEqual(old.level, 3)
        self.assertEqual(old.competence.framework.status, Framework.Status.RETIRED)

    def test_published_level_text_shows_in_the_catalogue(self):
        draft = start_draft(self.framework)
        competence = draft.competences.first()
        competence.level_texts.create(number=3, description="Lærer bort metoder.")
        publish(draft, self.owner)

        response = self.client.get(
            reverse("catalogue:framework-detail", args=[draft.pk])
        )

        self.assertContains(response, "Lærer bort metoder.")

    def test_level_text_heading_is_marked_english_in_the_english_ui(self):
        draft = start_draft(self.framework)
        competence = draft.competences.first()
        competence.level_texts.create(number=3, description="Lærer bort metoder.")
        publish(draft, self.owner)
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

        response = self.client.get(
            reverse("catalogue:framework-detail", args=[draft.pk])
        )

        # The competence's section is the framework's bokmål; the UI's own
        # words inside it are English and must say so to a screen reader.
        self.assertContains(
            response,
            f'<h4 class="pkt-txt-16-medium" lang="en">The levels in '
            f'<span lang="nb">{competence.name}</span></h4>',
            html=True,
        )
        self.assertContains(response, '<dt lang="en">Level 3</dt>', html=True)
        self.assertContains(response, "<dd>Lærer bort metoder.</dd>", html=True)

    def test_retired_version_stays_readable_and_says_so(self):
        draft = start_draft(self.framework)
        publish(draft, self.owner)
        self.login(self.employee)

        response = self.client.get(
            reverse("catalogue:framework-detail", args=[self.framework.pk])
        )

        self.assertContains(response, "Denne versjonen er utgått.")

    def test_publishing_twice_is_refused(self):
        draft = start_draft(self.framework)
        publish(draft, self.owner)

        response = self.client.post(self.draft_url("publish", draft))

        self.assertEqual(response.status_code, 404)


class DifferencesTests(CastTestCase):
    def test_no_differences_between_a_version_and_itself(self):
        data = framework_data(load_bundled_framework())

        self.assertEqual(differences(data, data), [])

    def test_removed_and_moved_items_are_named(self):
        old = framework_data(load_bundled_framework())
        new = framework_data(load_bundled_framework())
        removed = new["competences"].pop(0)
        new["competences"].reverse()

        with translation.override("en"):
            changes = differences(old, new)

        kinds = {(c.kind, c.what) for c in changes}
        self.assertIn(("removed", removed["name"]), kinds)
        self.assertIn(("moved", "Order of the competences"), kinds)


class HistoryAcrossVersionsTests(VersionTestCase):
    """The person's history page follows a competence through versions and
    keeps what was recorded on a competence a new version dropped."""

    def history(self):  # type: ignore[no-untyped-def]
        self.client.force_login(self.leader.user)
        return self.client.get(reverse("profiles:history", args=[self.employee.pk]))

    def test_entries_before_a_new_version_stay_in_the_timeline_once(self):
        kept = self.competences[1]
        set_expectations(self.employee, {kept: 2}, by=self.leader.user)
        set_expectations(self.employee, {kept: 3}, by=self.leader.user)
        publish(start_draft(self.framework), self.owner)
        new = Framework.objects.published().get(uuid=self.framework.uuid)
        set_expectations(
            self.employee, {new.competences.get(uuid=kept.uuid): 4}, by=self.leader.user
        )

        response = self.history()

        [timeline] = [
            t for t in response.context["timelines"] if t.competence.uuid == kept.uuid
        ]
        self.assertEqual([e.level for e in timeline.entries], [4, 3, 2])
        self.assertEqual([e.is_current for e in timeline.entries], [True, False, False])

    def test_a_dropped_competence_shows_as_retired_with_its_history(self):
        dropped = self.competences[0]
        set_expectations(self.employee, {dropped: 3}, by=self.leader.user)
        draft = start_draft(self.framework)
        draft.competences.get(uuid=dropped.uuid).delete()
        publish(draft, self.owner)

        response = self.history()

        [timeline] = response.context["retired_timelines"]
        self.assertEqual(timeline.competence.pk, dropped.pk)
        self.assertEqual([e.level for e in timeline.entries], [3])
        self.assertNotIn(
            dropped.uuid, [t.competence.uuid for t in response.context["timelines"]]
        )
        self.assertContains(response, "Nei, utgått")

    def test_a_dropped_competence_without_records_is_not_listed(self):
        draft = start_draft(self.framework)
        draft.competences.get(uuid=self.competences[0].uuid).delete()
        publish(draft, self.owner)

        response = self.history()

        self.assertEqual(response.context["retired_timelines"], [])


class AdminLevelTests(VersionTestCase):
    def scale_form(self, deleted: int | None = None, renumbered: int | None = None):
        scale = self.framework.scale
        levels = list(scale.levels.all())
        data = {
            "name": scale.name,
            "description": scale.description,
            "levels-TOTAL_FORMS": str(len(levels)),
            "levels-INITIAL_FORMS": str(len(levels)),
            "levels-MIN_NUM_FORMS": "0",
            "levels-MAX_NUM_FORMS": "1000",
        }
        for i, level in enumerate(levels):
            number = level.number
            if number == renumbered:
                number = 9
            data |= {
                f"levels-{i}-id": str(level.pk),
                f"levels-{i}-scale": str(scale.pk),
                f"levels-{i}-number": str(number),
                f"levels-{i}-name": level.name,
                f"levels-{i}-description": level.description,
            }
            if level.number == deleted:
                data[f"levels-{i}-DELETE"] = "on"
        return reverse("admin:catalogue_scale_change", args=[scale.pk]), data

    def test_level_in_use_is_not_deleted_or_renumbered_in_admin(self):
        set_expectations(
            self.employee, {self.framework.competences.first(): 4}, by=self.leader.user
        )
        self.client.force_login(self.admin)

        for change in ({"deleted": 4}, {"renumbered": 4}):
            with self.subTest(**change):
                url, data = self.scale_form(**change)

                response = self.client.post(url, data)

                self.assertContains(response, "Nivå 4 brukes av 1")
                self.assertEqual(self.framework.scale.level_numbers(), [1, 2, 3, 4])

    def test_unused_level_is_deleted_in_admin(self):
        self.client.force_login(self.admin)
        url, data = self.scale_form(deleted=4)

        response = self.client.post(url, data)

        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.framework.scale.level_numbers(), [1, 2, 3])
