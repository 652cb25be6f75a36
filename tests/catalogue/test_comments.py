from __future__ import annotations

import re

from django.conf import settings
from django.core import mail
from django.urls import reverse

from catalogue.models import Comment
from organisation.models import Role
from tests.factories import (
    CastTestCase,
    load_bundled_framework,
    make_catalogue_owner,
    make_person,
)


class CommentTestCase(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.owner = make_catalogue_owner()
        cls.competence = cls.competences[0]
        cls.employee.user.email = "ansatt@example.org"
        cls.employee.user.save()

    def thread(self, kind: str = "competence", key: str | None = None) -> str:
        key = key or str(self.competence.uuid)
        return reverse("catalogue:comment-thread", args=[self.framework.pk, kind, key])

    def make_comment(self, **extra) -> Comment:
        values = {
            "framework": self.framework,
            "target_kind": "competence",
            "target_uuid": self.competence.uuid,
            "author": self.employee.user,
            "text": "Bør stå tydeligere.",
        }
        values.update(extra)
        return Comment.objects.create(**values)


class CommentThreadTests(CommentTestCase):
    def test_logged_in_user_posts_a_comment(self):
        self.login(self.employee)

        response = self.client.post(self.thread(), {"text": "Forslag"})

        self.assertRedirects(response, self.thread())
        comment = Comment.objects.get()
        self.assertEqual(comment.target_uuid, self.competence.uuid)
        self.assertEqual(comment.status, Comment.Status.NEW)

    def test_page_title_names_what_the_thread_is_about(self):
        self.login(self.employee)

        response = self.client.get(self.thread())

        # Every thread is a page of its own; its title tells them apart.
        self.assertContains(
            response, f"<title>Kommentarer: {self.competence.name} –", html=False
        )

    def test_htmx_post_answers_with_the_thread_fragment(self):
        self.login(self.employee)

        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                self.thread(), {"text": "Forslag"}, headers={"HX-Request": "true"}
            )

        self.assertContains(response, "Forslag")
        self.assertNotContains(response, "<html")
        # The count on the catalogue's link to the thread follows.
        self.assertContains(
            response,
            f"<span hx-swap-oob=\"innerHTML:[data-comment-count='{self.thread()}']\">"
            "Kommentarer (1)</span>",
            html=True,
        )

    def test_thread_names_the_author_and_the_answerer_by_their_person(self):
        # Logins of the organisation carry their names on the person, as
        # every other page shows them, not on the login itself.
        owner_person = make_person("Eier", self.root, login=False)
        owner_person.user = self.owner
        owner_person.save()
        self.make_comment(
            status=Comment.Status.ANSWERED, answer="Takk", answered_by=self.owner
        )
        self.login(self.colleague)

        response = self.client.get(self.thread())

        self.assertContains(response, f"<strong>{self.employee.full_name}</strong>")
        self.assertContains(response, f"({owner_person.full_name})")
        self.assertNotContains(response, self.employee.user.get_username())
        self.assertNotContains(response, self.owner.get_username())

    def test_owners_are_told_by_email(self):
        self.login(self.employee)

        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(self.thread(), {"text": "Forslag"})

        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, ["owner@example.org"])
        self.assertIn(
            f"{self.employee.full_name} skrev om kompetanse «{self.competence.name}»:",
            mail.outbox[0].body,
        )

    def test_owner_without_login_address_is_told_at_their_own_address(self):
        owner_person = make_person("Eier", self.root, email="eier@example.org")
        Role.objects.create(user=owner_person.user, kind=Role.Kind.CATALOGUE_OWNER)
        self.login(self.employee)

        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(self.thread(), {"text": "Forslag"})

        self.assertEqual(mail.outbox[0].to, ["eier@example.org", "owner@example.org"])
        self.assertIn(self.competence.name, mail.outbox[0].body)
        self.assertIn(
            settings.SITE_URL.rstrip("/") + self.thread(), mail.outbox[0].body
        )

    def test_thread_is_visible_to_every_logged_in_user(self):
        self.make_comment()
        self.login(self.outsider)

        response = self.client.get(self.thread())

        self.assertContains(response, "Bør stå tydeligere.")

    def test_hidden_comment_is_not_shown_to_others(self):
        self.make_comment(status=Comment.Status.HIDDEN)
        self.login(self.outsider)

        response = self.client.get(self.thread())

        self.assertNotContains(response, "Bør stå tydeligere.")

    def test_comments_on_every_kind_of_item(self):
        indicator = self.framework.indicators.create(text="Indikator")
        self.login(self.employee)

        for kind, key in [
            ("framework", "-"),
            ("indicator", str(indicator.uuid)),
            ("level", "3"),
        ]:
            with self.subTest(kind=kind):
                response = self.client.post(self.thread(kind, key), {"text": kind})

                self.assertEqual(response.status_code, 302)
        self.assertEqual(Comment.objects.count(), 3)

    def test_unknown_target_is_404_and_writes_nothing(self):
        self.login(self.employee)

        for kind, key in [("level", "9"), ("competence", "x"), ("other", "-")]:
            with self.subTest(kind=kind):
                response = self.client.post(self.thread(kind, key), {"text": "x"})

                self.assertEqual(response.status_code, 404)
        self.assertFalse(Comment.objects.exists())

    def test_empty_comment_is_refused(self):
        self.login(self.employee)

        response = self.client.post(self.thread(), {"text": "   "})

        self.assertEqual(response.status_code, 400)
        self.assertFalse(Comment.objects.exists())

    def test_wrong_method_is_405(self):
        self.login(self.employee)

        response = self.client.put(self.thread())

        self.assertEqual(response.status_code, 405)

    def test_query_count_does_not_grow_with_comments(self):
        self.make_comment()
        self.login(self.employee)
        self.client.get(self.thread())
        for _ in range(5):
            self.make_comment()

        # Session, user, owner check, framework, item, comments, and three
        # for the navigation in the page header.
        with self.assertNumQueries(9):
            self.client.get(self.thread())


class CatalogueCommentCountTests(CommentTestCase):
    def test_catalogue_page_shows_counts_and_thread_links(self):
        self.make_comment()
        self.login(self.employee)

        response = self.client.get(
            reverse("catalogue:framework-detail", args=[self.framework.pk])
        )

        self.assertContains(response, "(1)")
        self.assertContains(response, self.thread())

    def test_catalogue_page_has_no_duplicate_ids(self):
        framework = load_bundled_framework()
        self.login(self.employee)

        response = self.client.get(
            reverse("catalogue:framework-detail", args=[framework.pk])
        )

        ids = re.findall(r'id="([^"]+)"', response.content.decode())
        self.assertEqual(len(ids), len(set(ids)))


class OwnCommentTests(CommentTestCase):
    def test_author_edits_a_new_comment(self):
        comment = self.make_comment()
        self.login(self.employee)

        response = self.client.post(
            reverse("catalogue:edit-comment", args=[comment.pk]), {"text": "Nytt"}
        )

        self.assertRedirects(response, self.thread())
        comment.refresh_from_db()
        self.assertEqual(comment.text, "Nytt")

    def test_an_empty_edit_is_refused_with_the_error_tied_to_the_field(self):
        comment = self.make_comment()
        self.login(self.employee)

        response = self.client.post(
            reverse("catalogue:edit-comment", args=[comment.pk]), {"text": " "}
        )

        self.assertContains(
            response, f'aria-describedby="edit-{comment.pk}-error"', status_code=400
        )
        self.assertContains(response, f'id="edit-{comment.pk}-error"', status_code=400)
        comment.refresh_from_db()
        self.assertNotEqual(comment.text, " ")

    def test_an_empty_edit_in_place_comes_back_with_its_error(self):
        comment = self.make_comment()
        self.login(self.employee)

        response = self.client.post(
            reverse("catalogue:edit-comment", args=[comment.pk]),
            {"text": " "},
            headers={"HX-Request": "true"},
        )

        # A 200, which htmx swaps in: the form with the error in it.
        self.assertContains(response, f'id="edit-{comment.pk}-error"')

    def test_htmx_edit_form_and_save_answer_with_fragments(self):
        comment = self.make_comment()
        self.login(self.employee)
        url = reverse("catalogue:edit-comment", args=[comment.pk])

        form = self.client.get(url, headers={"HX-Request": "true"})
        saved = self.client.post(url, {"text": "Nytt"}, headers={"HX-Request": "true"})

        self.assertContains(form, f'id="comment-{comment.pk}"')
        self.assertNotContains(form, "<html")
        # Cancelling puts the thread back in place instead of leaving the page.
        self.assertContains(form, 'hx-target="closest .app-thread"')
        self.assertContains(saved, "Nytt")
        self.assertNotContains(saved, "<html")

    def test_someone_else_cannot_edit_or_withdraw(self):
        comment = self.make_comment()
        self.login(self.colleague)

        edit = self.client.post(
            reverse("catalogue:edit-comment", args=[comment.pk]), {"text": "Nytt"}
        )
        withdraw = self.client.post(
            reverse("catalogue:withdraw-comment", args=[comment.pk])
        )

        self.assertEqual((edit.status_code, withdraw.status_code), (404, 404))
        comment.refresh_from_db()
        self.assertEqual((comment.text, comment.status), ("Bør stå tydeligere.", "new"))

    def test_answered_comment_can_no_longer_be_edited(self):
        comment = self.make_comment(status=Comment.Status.ANSWERED)
        self.login(self.employee)

        response = self.client.post(
            reverse("catalogue:edit-comment", args=[comment.pk]), {"text": "Nytt"}
        )

        self.assertEqual(response.status_code, 403)

    def test_author_withdraws(self):
        comment = self.make_comment()
        self.login(self.employee)

        self.client.post(reverse("catalogue:withdraw-comment", args=[comment.pk]))

        comment.refresh_from_db()
        self.assertEqual(comment.status, Comment.Status.WITHDRAWN)

    def test_withdraw_needs_post(self):
        comment = self.make_comment()
        self.login(self.employee)

        response = self.client.get(
            reverse("catalogue:withdraw-comment", args=[comment.pk])
        )

        self.assertEqual(response.status_code, 405)


class ModerationTests(CommentTestCase):
    def moderate(self, comment: Comment, **data) -> object:
        return self.client.post(
            reverse("catalogue:moderate-comment", args=[comment.pk]), data
        )

    def test_owner_answers_and_the_author_is_told(self):
        comment = self.make_comment()
        self.client.force_login(self.owner)

        with self.captureOnCommitCallbacks(execute=True):
            self.moderate(comment, action="answer", answer="Takk, vi ser på det.")

        comment.refresh_from_db()
        self.assertEqual(comment.status, Comment.Status.ANSWERED)
        self.assertEqual(mail.outbox[0].to, ["ansatt@example.org"])

    def test_author_without_login_address_is_told_at_their_own_address(self):
        # Logins made for people have no address of their own; the person's
        # is where the product writes to them.
        self.colleague.email = "kollega@example.org"
        self.colleague.save()
        comment = self.make_comment(author=self.colleague.user)
        self.client.force_login(self.owner)

        with self.captureOnCommitCallbacks(execute=True):
            self.moderate(comment, action="answer", answer="Takk.")

        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, ["kollega@example.org"])
        self.assertIn(self.competence.name, mail.outbox[0].body)
        self.assertIn(
            settings.SITE_URL.rstrip("/") + self.thread(), mail.outbox[0].body
        )

    def test_author_sees_the_status_and_answer(self):
        comment = self.make_comment()
        self.client.force_login(self.owner)
        self.moderate(comment, action="accept", answer="Tas inn.")
        self.login(self.employee)

        response = self.client.get(self.thread())

        self.assertContains(response, "Tas inn.")
        self.assertContains(response, Comment.Status.ACCEPTED.label)

    def test_non_owner_gets_403_and_nothing_changes(self):
        comment = self.make_comment()
        self.login(self.leader)

        response = self.moderate(comment, action="hide")

        self.assertEqual(response.status_code, 403)
        comment.refresh_from_db()
        self.assertEqual(comment.status, Comment.Status.NEW)

    def test_forged_action_changes_nothing(self):
        comment = self.make_comment()
        self.client.force_login(self.owner)

        response = self.moderate(comment, action="publish")

        self.assertEqual(response.status_code, 400)
        comment.refresh_from_db()
        self.assertEqual(comment.status, Comment.Status.NEW)

    def test_answer_needs_text(self):
        comment = self.make_comment()
        self.client.force_login(self.owner)

        response = self.moderate(comment, action="answer", answer="")

        # Without htmx the reason comes on the site's own error page.
        self.assertContains(response, "Skriv svaret.", status_code=400)
        self.assertContains(response, '<html lang="nb">', status_code=400)

    def test_htmx_refusal_shows_the_reason_in_the_fragment(self):
        comment = self.make_comment()
        self.client.force_login(self.owner)

        response = self.client.post(
            reverse("catalogue:moderate-comment", args=[comment.pk]),
            {"action": "answer", "answer": ""},
            headers={"HX-Request": "true"},
        )

        self.assertContains(response, "Skriv svaret.")
        comment.refresh_from_db()
        self.assertEqual(comment.status, Comment.Status.NEW)

    def test_withdrawn_comment_cannot_be_moderated(self):
        comment = self.make_comment(status=Comment.Status.WITHDRAWN)
        self.client.force_login(self.owner)

        response = self.moderate(comment, action="accept")

        self.assertEqual(response.status_code, 400)


class QueueTests(CommentTestCase):
    def test_owner_filters_by_status(self):
        self.make_comment(text="Ny kommentar")
        self.make_comment(text="Avvist kommentar", status=Comment.Status.REJECTED)
        self.client.force_login(self.owner)

        response = self.client.get(
            reverse("catalogue:comment-queue"), {"status": "rejected"}
        )

        self.assertContains(response, "Avvist kommentar")
        self.assertNotContains(response, "Ny kommentar")

    def test_non_owner_gets_403(self):
        self.login(self.leader)

        queue = self.client.get(reverse("catalogue:comment-queue"))
        export = self.client.get(reverse("catalogue:export-comments"))

        self.assertEqual((queue.status_code, export.status_code), (403, 403))

    def test_queue_query_count_does_not_grow(self):
        self.make_comment()
        self.client.force_login(self.owner)
        self.client.get(reverse("catalogue:comment-queue"))
        for _ in range(5):
            self.make_comment()

        # Comments, then one query each for competence, indicator and level
        # names, however many comments there are.
        with self.assertNumQueries(10):
            self.client.get(reverse("catalogue:comment-queue"))

    def test_export_is_neutralised_csv(self):
        self.make_comment(text="=HYPERLINK(1)")
        self.client.force_login(self.owner)

        response = self.client.get(reverse("catalogue:export-comments"))

        text = response.content.decode("utf-8")
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        self.assertIn("'=HYPERLINK(1)", text)
        self.assertIn(self.competence.name, text)

    def test_wrong_method_is_405(self):
        self.client.force_login(self.owner)

        response = self.client.post(reverse("catalogue:comment-queue"))

        self.assertEqual(response.status_code, 405)
