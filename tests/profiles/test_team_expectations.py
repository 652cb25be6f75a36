from __future__ import annotations

from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from profiles.expectations import version_token
from profiles.models import Expectation, ProfileAssignment
from profiles.records import set_expectations
from tests.factories import (
    CastTestCase,
    make_framework,
    make_person,
    make_role_profile,
)


class TeamGridTests(CastTestCase):
    url = reverse("profiles:team-expectations")

    def data(self, levels: dict, people=None, competences=None, **extra) -> dict:  # type: ignore[no-untyped-def]
        """A grid post: levels maps (person, competence) to a level."""
        people = people or sorted({p for p, _c in levels}, key=lambda p: p.pk)
        competences = competences or self.competences
        data: dict = {"person": [p.pk for p in people]}
        for person in people:
            for competence in competences:
                level = levels.get((person, competence))
                data[f"e-{person.pk}-{competence.pk}"] = "" if level is None else level
        data["version"] = version_token(people, competences)
        data.update(extra)
        return data

    def test_page_has_a_select_per_cell_in_one_form(self):
        self.login(self.sub_leader)

        response = self.client.get(self.url)

        c = self.competences[0]
        self.assertContains(response, f'name="e-{self.employee.pk}-{c.pk}"')
        self.assertContains(response, f'name="e-{self.colleague.pk}-{c.pk}"')
        self.assertContains(response, 'form="apply-profile"', count=2)

    def test_page_query_count_same_for_small_and_large_team(self):
        make_role_profile(self.team, {self.competences[0]: 2}, titles="Rådgiver")
        self.login(self.sub_leader)
        with CaptureQueriesContext(connection) as small:
            response = self.client.get(self.url)
        self.assertEqual(len(response.context["form"].rows), 2)
        self.login(self.top)

        with self.assertNumQueries(len(small.captured_queries)):
            response = self.client.get(self.url)

        self.assertEqual(len(response.context["form"].rows), 6)

    def test_empty_choice_names_the_profiles_level(self):
        c = self.competences[0]
        profile = make_role_profile(self.team, {c: 3})
        ProfileAssignment.objects.create(person=self.employee, profile=profile)
        self.login(self.sub_leader)

        response = self.client.get(self.url)

        # The empty choice is page text, marked with the page's language
        # inside a select marked with the framework's.
        self.assertContains(
            response,
            '<option value="" selected lang="nb">Profil: 3</option>',
            html=True,
        )

    def test_leader_saves_many_cells_at_once(self):
        first, second = self.competences[:2]
        self.login(self.leader)

        response = self.client.post(
            self.url,
            self.data({(self.employee, first): 2, (self.colleague, second): 4}),
        )

        self.assertRedirects(response, self.url)
        current = Expectation.objects.current()
        self.assertEqual(current.get(person=self.employee).level, 2)
        self.assertEqual(current.get(person=self.colleague).level, 4)

    def test_a_cell_missing_from_the_post_keeps_its_expectation(self):
        first, second = self.competences[:2]
        set_expectations(self.employee, {first: 3}, by=self.leader.user)
        self.login(self.leader)
        data = self.data({(self.employee, second): 2})
        del data[f"e-{self.employee.pk}-{first.pk}"]

        self.client.post(self.url, data)

        current = Expectation.objects.current().filter(person=self.employee)
        self.assertEqual(
            dict(current.values_list("competence", "level")),
            {first.pk: 3, second.pk: 2},
        )

    def test_query_count_does_not_grow_with_grid_size(self):
        framework = make_framework("Stor", competences=5)
        competences = list(framework.competences.all())
        crowd = [make_person(f"P{i}", self.team) for i in range(28)]
        people = sorted([self.employee, self.colleague, *crowd], key=lambda p: p.pk)
        self.login(self.leader)
        url = f"{self.url}?framework={framework.pk}"
        small = self.data(
            {(self.employee, competences[0]): 2},
            people=[self.employee],
            competences=competences[:1],
        )
        with CaptureQueriesContext(connection) as one:
            self.client.post(url, small)
        self.assertEqual(Expectation.objects.count(), 1)
        Expectation.objects.all().delete()
        big = self.data(
            {(p, c): 3 for p in people for c in competences},
            people=people,
            competences=competences,
        )

        with self.assertNumQueries(len(one.captured_queries)):
            self.client.post(url, big)

        self.assertEqual(Expectation.objects.count(), 150)

    def test_one_mail_per_person_per_save_with_link(self):
        first, second = self.competences[:2]
        self.employee.email = "ansatt@example.org"
        self.employee.save()
        self.login(self.leader)

        self.client.post(
            self.url,
            self.data({(self.employee, first): 2, (self.employee, second): 3}),
        )

        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, ["ansatt@example.org"])
        self.assertIn("http://127.0.0.1:8000/me/", mail.outbox[0].body)

    def test_unchanged_grid_sends_no_mail(self):
        self.employee.email = "ansatt@example.org"
        self.employee.save()
        self.login(self.leader)

        self.client.post(self.url, self.data({}, people=[self.employee]))

        self.assertEqual(mail.outbox, [])

    def test_forged_person_outside_scope_is_404_and_changes_nothing(self):
        c = self.competences[0]
        self.login(self.leader)

        response = self.client.post(
            self.url, self.data({(self.employee, c): 2, (self.outsider, c): 2})
        )

        self.assertEqual(response.status_code, 404)
        self.assertFalse(Expectation.objects.exists())

    def test_read_only_hr_is_403(self):
        self.client.force_login(self.make_hr(can_change=False))

        response = self.client.post(
            self.url, self.data({(self.employee, self.competences[0]): 2})
        )

        self.assertEqual(response.status_code, 403)
        self.assertFalse(Expectation.objects.exists())

    def test_person_who_left_is_refused_with_message(self):
        c = self.competences[0]
        self.colleague.active = False
        self.colleague.save()
        self.login(self.leader)

        response = self.client.post(
            self.url, self.data({(self.employee, c): 2, (self.colleague, c): 2})
        )

        self.assertContains(response, "har sluttet", status_code=400)
        self.assertFalse(Expectation.objects.exists())

    def test_level_outside_scale_is_refused(self):
        self.login(self.leader)

        response = self.client.post(
            self.url, self.data({(self.employee, self.competences[0]): 9})
        )

        self.assertEqual(response.status_code, 400)
        self.assertFalse(Expectation.objects.exists())

    def test_too_long_note_is_refused_and_says_why(self):
        self.login(self.leader)
        levels = {(self.employee, self.competences[0]): 2}

        response = self.client.post(self.url, self.data(levels, note="x" * 2001))

        self.assertEqual(response.status_code, 400)
        self.assertFalse(Expectation.objects.exists())
        self.assertContains(response, 'id="id_note_error"', status_code=400)
        self.assertContains(response, "<title>Feil:", status_code=400)

    def test_competence_of_retired_framework_is_refused(self):
        retired = make_framework("Gammel", status="retired")
        competences = list(retired.competences.all())
        self.login(self.leader)

        response = self.client.post(
            f"{self.url}?framework={retired.pk}",
            self.data(
                {(self.employee, competences[0]): 2},
                competences=competences,
                **{f"e-{self.employee.pk}-{self.competences[0].pk}": "2"},
            ),
        )

        self.assertNotEqual(response.status_code, 302)
        self.assertFalse(
            Expectation.objects.filter(competence__framework=retired).exists()
        )

    def test_wrong_method_is_405(self):
        self.login(self.leader)

        response = self.client.delete(self.url)

        self.assertEqual(response.status_code, 405)


class LostUpdateTests(CastTestCase):
    def url(self, person) -> str:  # type: ignore[no-untyped-def]
        return reverse("profiles:edit-expectations", args=[person.pk])

    def form(self, levels: dict, version: str, **extra) -> dict:  # type: ignore[no-untyped-def]
        data = {
            f"competence-{c.pk}": "" if levels.get(c) is None else levels[c]
            for c in self.competences
        }
        return {**data, "version": version, **extra}

    def test_second_save_is_told_who_changed_what(self):
        c = self.competences[0]
        set_expectations(self.employee, {c: 1}, by=self.leader.user)
        stale = version_token([self.employee], self.competences)
        set_expectations(self.employee, {c: 2}, by=self.top.user)
        self.login(self.leader)

        response = self.client.post(self.url(self.employee), self.form({c: 3}, stale))

        self.assertEqual(response.status_code, 409)
        self.assertContains(response, f"{self.top.full_name} endret", status_code=409)
        self.assertContains(response, "fra 1 til 2", status_code=409)
        self.assertEqual(Expectation.objects.current().get().level, 2)

    def test_choosing_mine_saves_mine(self):
        c = self.competences[0]
        stale = version_token([self.employee], self.competences)
        set_expectations(self.employee, {c: 2}, by=self.top.user)
        self.login(self.leader)
        response = self.client.post(self.url(self.employee), self.form({c: 3}, stale))
        fresh = response.context["form"].initial["version"]

        self.client.post(
            self.url(self.employee),
            self.form({c: 3}, fresh, **{f"resolve-{self.employee.pk}-{c.pk}": "mine"}),
        )

        self.assertEqual(Expectation.objects.current().get().level, 3)

    def test_choosing_theirs_keeps_theirs(self):
        c = self.competences[0]
        stale = version_token([self.employee], self.competences)
        set_expectations(self.employee, {c: 2}, by=self.top.user)
        self.login(self.leader)
        response = self.client.post(self.url(self.employee), self.form({c: 3}, stale))
        fresh = response.context["form"].initial["version"]

        self.client.post(
            self.url(self.employee),
            self.form(
                {c: 3}, fresh, **{f"resolve-{self.employee.pk}-{c.pk}": "theirs"}
            ),
        )

        self.assertEqual(Expectation.objects.current().get().level, 2)
        self.assertEqual(Expectation.objects.count(), 1)

    def test_untouched_cell_keeps_the_other_persons_change(self):
        first, second = self.competences[:2]
        stale = version_token([self.employee], self.competences)
        set_expectations(self.employee, {first: 2}, by=self.top.user)
        self.login(self.leader)

        response = self.client.post(
            self.url(self.employee), self.form({second: 4}, stale)
        )

        self.assertEqual(response.status_code, 302)
        current = Expectation.objects.current()
        self.assertEqual(current.get(competence=first).level, 2)
        self.assertEqual(current.get(competence=second).level, 4)

    def test_stale_form_posted_twice_changes_nothing_the_second_time(self):
        c = self.competences[0]
        version = version_token([self.employee], self.competences)
        self.login(self.leader)
        self.client.post(self.url(self.employee), self.form({c: 3}, version))

        response = self.client.post(
            self.url(self.employee), self.form({c: 3}, version), follow=True
        )

        self.assertContains(response, "allerede lagret")
        self.assertEqual(Expectation.objects.count(), 1)

    def test_damaged_token_changes_nothing(self):
        self.login(self.leader)

        response = self.client.post(
            self.url(self.employee), self.form({self.competences[0]: 3}, "forged")
        )

        self.assertContains(response, "skadet", status_code=400)
        self.assertFalse(Expectation.objects.exists())

    def test_read_only_hr_is_403(self):
        self.client.force_login(self.make_hr(can_change=False))

        response = self.client.get(self.url(self.employee))

        self.assertEqual(response.status_code, 403)


class ApplyProfileTests(CastTestCase):
    url = reverse("profiles:apply-profile")

    def test_leader_applies_profile_to_ticked_people(self):
        profile = make_role_profile(self.team, {self.competences[0]: 3})
        self.employee.email = "ansatt@example.org"
        self.employee.save()
        self.login(self.leader)

        response = self.client.post(
            self.url,
            {"profile": profile.pk, "selected": [self.employee.pk, self.colleague.pk]},
        )

        self.assertRedirects(response, reverse("profiles:team-expectations"))
        self.assertEqual(ProfileAssignment.objects.count(), 2)
        self.assertEqual(len(mail.outbox), 1)

    def test_employees_page_shows_profile_as_source(self):
        profile = make_role_profile(self.team, {self.competences[0]: 3}, name="Ekspert")
        self.login(self.leader)
        self.client.post(
            self.url, {"profile": profile.pk, "selected": [self.employee.pk]}
        )
        self.login(self.employee)

        response = self.client.get(reverse("profiles:me"))

        self.assertContains(response, "stillingsprofil Ekspert")

    def test_profile_outside_scope_changes_nothing(self):
        profile = make_role_profile(self.elsewhere, {})
        self.login(self.leader)

        self.client.post(
            self.url, {"profile": profile.pk, "selected": [self.employee.pk]}
        )

        self.assertFalse(ProfileAssignment.objects.exists())

    def test_profile_kept_by_the_person_changes_nothing(self):
        # The sub-leader keeps the team's profiles: given one, they would
        # set their own expectations.
        profile = make_role_profile(self.team, {})
        self.login(self.leader)

        response = self.client.post(
            self.url,
            {"profile": profile.pk, "selected": [self.sub_leader.pk]},
            follow=True,
        )

        self.assertContains(response, "ingen setter sine egne forventninger")
        self.assertFalse(ProfileAssignment.objects.exists())

    def test_person_outside_scope_is_404(self):
        profile = make_role_profile(self.team, {})
        self.login(self.leader)

        response = self.client.post(
            self.url, {"profile": profile.pk, "selected": [self.outsider.pk]}
        )

        self.assertEqual(response.status_code, 404)
        self.assertFalse(ProfileAssignment.objects.exists())

    def test_read_only_hr_is_403(self):
        profile = make_role_profile(self.team, {})
        self.client.force_login(self.make_hr(can_change=False))

        response = self.client.post(
            self.url, {"profile": profile.pk, "selected": [self.employee.pk]}
        )

        self.assertEqual(response.status_code, 403)

    def test_nobody_ticked_gets_a_message(self):
        profile = make_role_profile(self.team, {})
        self.login(self.leader)

        response = self.client.post(self.url, {"profile": profile.pk}, follow=True)

        self.assertContains(response, "Kryss av minst én person")

    def test_wrong_method_is_405(self):
        self.login(self.leader)

        response = self.client.get(self.url)

        self.assertEqual(response.status_code, 405)


class SinglePersonMailTests(CastTestCase):
    def test_one_mail_when_a_leader_sets_several_expectations(self):
        self.employee.email = "ansatt@example.org"
        self.employee.save()
        self.login(self.leader)
        data = {f"competence-{c.pk}": "2" for c in self.competences}
        data["version"] = version_token([self.employee], self.competences)

        self.client.post(
            reverse("profiles:edit-expectations", args=[self.employee.pk]), data
        )

        self.assertEqual(len(mail.outbox), 1)
        self.assertIn("/me/", mail.outbox[0].body)


class ApplyProfileToLeaverTests(CastTestCase):
    def test_person_who_left_is_refused_with_message(self):
        profile = make_role_profile(self.team, {})
        self.colleague.active = False
        self.colleague.save()
        self.login(self.leader)

        response = self.client.post(
            reverse("profiles:apply-profile"),
            {"profile": profile.pk, "selected": [self.employee.pk, self.colleague.pk]},
            follow=True,
        )

        self.assertContains(response, "har sluttet")
        self.assertFalse(ProfileAssignment.objects.exists())


class InPlaceGridTests(CastTestCase):
    """The grid saves in place with htmx: the answer is the grid itself,
    with the outcome in the status region, never a redirect or an error
    status htmx would not swap."""

    url = reverse("profiles:team-expectations")
    htmx = {"HTTP_HX_REQUEST": "true"}

    def data(self, levels: dict, version: str | None = None) -> dict:  # type: ignore[no-untyped-def]
        people = [self.employee, self.colleague]
        data: dict = {"person": [p.pk for p in people]}
        for person in people:
            for competence in self.competences:
                level = levels.get((person, competence))
                data[f"e-{person.pk}-{competence.pk}"] = "" if level is None else level
        data["version"] = version or version_token(people, self.competences)
        return data

    def test_saving_answers_with_the_grid_and_the_outcome(self):
        c = self.competences[0]
        self.login(self.leader)

        response = self.client.post(
            self.url, self.data({(self.employee, c): 2}), **self.htmx
        )

        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "<html")
        self.assertContains(response, 'id="team-expectations"')
        self.assertContains(response, 'id="grid-status"')
        self.assertContains(response, "Lagret 1 endring.")
        self.assertEqual(Expectation.objects.current().get().level, 2)

    def test_the_grid_swapped_in_saves_again_without_a_conflict(self):
        c = self.competences[0]
        self.login(self.leader)
        response = self.client.post(
            self.url, self.data({(self.employee, c): 2}), **self.htmx
        )
        fresh = response.context["form"].initial["version"]

        response = self.client.post(
            self.url, self.data({(self.employee, c): 3}, fresh), **self.htmx
        )

        self.assertContains(response, "Lagret 1 endring.")
        self.assertEqual(Expectation.objects.current().get().level, 3)

    def test_a_conflict_is_shown_in_the_grid(self):
        c = self.competences[0]
        stale = version_token([self.employee, self.colleague], self.competences)
        set_expectations(self.employee, {c: 2}, by=self.top.user)
        self.login(self.leader)

        response = self.client.post(
            self.url, self.data({(self.employee, c): 3}, stale), **self.htmx
        )

        self.assertContains(response, f"{self.top.full_name} endret")
        # The competence is the framework's text, marked with its language
        # like everywhere else (it matters in the English UI).
        self.assertContains(
            response, f'endret <span lang="{c.framework.language}">{c.name}</span> for'
        )
        self.assertContains(response, f'name="resolve-{self.employee.pk}-{c.pk}"')
        self.assertEqual(Expectation.objects.current().get().level, 2)

    def test_a_level_outside_the_scale_is_explained_in_the_grid(self):
        self.login(self.leader)

        response = self.client.post(
            self.url, self.data({(self.employee, self.competences[0]): 9}), **self.htmx
        )

        self.assertContains(response, "Velg et gyldig valg")
        self.assertFalse(Expectation.objects.exists())

    def test_query_count_does_not_grow_with_grid_size(self):
        framework = make_framework("Stor", competences=5)
        competences = list(framework.competences.all())
        crowd = [make_person(f"P{i}", self.team) for i in range(28)]
        people = sorted([self.employee, self.colleague, *crowd], key=lambda p: p.pk)
        url = f"{self.url}?framework={framework.pk}"
        self.login(self.leader)

        def post(chosen: list) -> int:  # type: ignore[type-arg]
            data: dict = {"person": [p.pk for p in chosen]}
            for person in chosen:
                for competence in competences:
                    data[f"e-{person.pk}-{competence.pk}"] = 3
            data["version"] = version_token(chosen, competences)
            with CaptureQueriesContext(connection) as queries:
                response = self.client.post(url, data, **self.htmx)
            self.assertEqual(response.status_code, 200)
            return len(queries.captured_queries)

        one = post([self.employee])
        Expectation.objects.all().delete()

        self.assertEqual(post(people), one)
        self.assertEqual(Expectation.objects.count(), 150)
