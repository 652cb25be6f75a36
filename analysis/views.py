from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from analysis import exports
from analysis.forms import AnalysisFilterForm, ProposalForm
from analysis.presenting import (
    CompetenceTally,
    CoverageRow,
    coverage_rows,
    mark_plans,
    named_people,
    open_keys,
    person_rows,
    tally_plans,
    unit_plans,
    unit_rows,
)
from analysis.queries import (
    Standings,
    child_histograms,
    child_summaries,
    configured_thresholds,
    fetch_standings,
)
from analysis.rules import Thresholds, plan_competence
from audit.log import record_ids
from audit.models import AccessLog
from catalogue.models import Competence, Framework, chosen_framework, competences_of
from conversations.actions import create_action, open_actions
from conversations.models import Action
from organisation.models import OrgUnit, PersonQuerySet
from organisation.scope import (
    analysed_people,
    get_visible_unit,
    may_change_unit,
    unit_scope_paths,
    visible_units,
)
from profiles.models import Assessment

# The access log's detail for reads through the gap analysis.
ANALYSIS = "analysis"
PEOPLE_PAGE_SIZE = 25
PROPOSALS_SHOWN = 10


@dataclass
class Analysis:
    """A unit, the chosen framework and the people there the user may see."""

    unit: OrgUnit
    form: AnalysisFilterForm
    framework: Framework | None
    competences: list[Competence]
    people: PersonQuerySet
    thresholds: Thresholds

    @property
    def kind(self) -> str:
        return self.form.chosen_kind()

    def standings(self, people: PersonQuerySet | None = None) -> Standings:
        chosen = self.people if people is None else people
        return fetch_standings(chosen, self.competences, self.kind)

    def filters(self) -> str:
        """The chosen filters as a query string for links: the filter
        form's fields only, so neither the page nor anything else in the
        address travels along."""
        return urlencode(
            {
                name: self.form.data[name]
                for name in self.form.fields
                if name in self.form.data
            }
        )

    def context(self) -> dict[str, object]:
        return {
            "unit": self.unit,
            "form": self.form,
            "framework": self.framework,
            "competences": self.competences,
            "thresholds": self.thresholds,
            "query": self.filters(),
        }


def analyse(request: HttpRequest, pk: int) -> Analysis:
    """The unit if the user may analyse it (else 404), the chosen framework
    and the people there whom the user may see."""
    unit = get_visible_unit(request.user, pk)
    frameworks = list(Framework.objects.published())
    data = request.GET.copy()
    asked = data.get("framework")
    framework = chosen_framework(asked)
    if framework is not None and asked != str(framework.pk):
        # The choice shows the framework the page is about, also when the
        # page chose it by default or instead of one that is not published.
        if asked:
            messages.warning(
                request,
                _("That framework is not published; this is %(name)s.")
                % {"name": framework.name},
            )
        data["framework"] = str(framework.pk)
    if data.get("kind") and data["kind"] not in Assessment.Kind.values:
        messages.warning(
            request, _("There is no such kind of assessment; all kinds count.")
        )
        data.pop("kind")
    form = AnalysisFilterForm(data, frameworks=frameworks)
    return Analysis(
        unit,
        form,
        framework,
        competences_of(framework),
        analysed_people(request.user, unit),
        configured_thresholds(framework),
    )


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    paths = unit_scope_paths(request.user)
    units = visible_units(request.user)
    roots = units.filter(parent=None) if paths is None else units.filter(path__in=paths)
    roots = list(roots)

    if len(roots) == 1:
        return redirect("analysis:unit", pk=roots[0].pk)
    if not roots:
        raise Http404
    return render(request, "analysis/index.html", {"units": roots})


@require_GET
def unit_plan(request: HttpRequest, pk: int) -> HttpResponse:
    analysis = analyse(request, pk)
    unit = analysis.unit
    people_count = analysis.people.count()
    actions = list(open_actions(unit, analysis.people))
    context = {
        **analysis.context(),
        "actions": actions,
        "can_act": may_change_unit(request.user, unit),
        "ancestors": ancestors(request, unit),
        "people_count": people_count,
    }
    named = [a.person_id for a in actions if a.person_id]
    children = counted(analysis, people_count)
    if children:
        # Counted per child unit: the database does the counting, and the
        # page names only the people of the open actions.
        tallies = counted_plans(analysis, children, actions)
        record_ids(request.user, named, AccessLog.Action.READ_TEAM, ANALYSIS)
        context["tallies"] = tallies
        context["named_limit"] = settings.ANALYSIS_NAMED_LIMIT
        context["coverage"] = [
            CoverageRow(t.competence, t.total.holders, t.total.thin) for t in tallies
        ]
        return render(request, "analysis/unit.html", context)

    standings = analysis.standings()
    plans = unit_plans(unit, analysis.competences, standings, analysis.thresholds)
    marked = mark_plans(plans, unit, open_keys(actions), PROPOSALS_SHOWN)
    named += named_people(marked)
    record_ids(request.user, named, AccessLog.Action.READ_TEAM, ANALYSIS)
    context["plans"] = marked
    context["coverage"] = coverage_rows(
        analysis.competences, standings, analysis.thresholds
    )
    return render(request, "analysis/unit.html", context)


@require_GET
def unit_heatmap(request: HttpRequest, pk: int) -> HttpResponse:
    analysis = analyse(request, pk)
    unit, competences = analysis.unit, analysis.competences
    if request.htmx and request.GET.get("people") == "hide":
        # Folding a unit's people away again: only its button changes.
        return render(
            request, "analysis/heatmap.html#collapsed-people", analysis.context()
        )

    # An htmx expand shows the whole subtree's people inside the parent's
    # table; the full page shows child units and the unit's own members.
    shown = analysis.people if request.htmx else analysis.people.filter(unit=unit)
    shown = shown.order_by("last_name", "first_name", "pk").values_list("pk", flat=True)
    page = Paginator(shown, PEOPLE_PAGE_SIZE).get_page(request.GET.get("page"))
    standings = analysis.standings(analysis.people.filter(pk__in=list(page)))
    shown_ids = [person.pk for person in standings.people]
    record_ids(request.user, shown_ids, AccessLog.Action.READ_TEAM, ANALYSIS)
    context = {
        **analysis.context(),
        "person_rows": person_rows(standings.people, competences, standings),
        "page": page,
    }
    if request.htmx:
        return render(request, "analysis/heatmap.html#expanded-people", context)

    children = list(unit.children.order_by("name"))
    summaries = child_summaries(unit, analysis.people, competences, analysis.kind)
    context["unit_rows"] = unit_rows(children, competences, summaries)
    context["ancestors"] = ancestors(request, unit)
    return render(request, "analysis/heatmap.html", context)


@require_POST
def create_unit_action(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_visible_unit(request.user, pk)
    if not may_change_unit(request.user, unit):
        raise PermissionDenied
    form = ProposalForm(request.POST)
    if not form.is_valid():
        message = _("The form was damaged or changed. Nothing was saved.")
        return render(request, "400.html", {"message": message}, status=400)

    competence = (
        Competence.objects.filter(
            pk=form.cleaned_data["competence"],
            framework__status=Framework.Status.PUBLISHED,
        )
        .select_related("framework__scale")
        .first()
    )
    if competence is None:
        raise Http404
    # The proposal is worked out again from today's data, so a forged or
    # stale form cannot create an action the rules do not propose.
    people = analysed_people(request.user, unit)
    standings = fetch_standings(people, [competence], form.cleaned_data["level_kind"])
    plan = plan_competence(
        competence.pk,
        competence.name,
        unit.name,
        standings.for_competence(competence.pk),
        configured_thresholds(competence.framework),
    )
    proposal = next(
        (
            p
            for p in plan.proposals
            if p.kind == form.cleaned_data["kind"]
            and p.person_id == form.cleaned_data["person"]
        ),
        None,
    )
    back = reverse("analysis:unit", args=[page_unit(request, unit, form).pk])
    filters = {"framework": competence.framework_id}
    if form.cleaned_data["level_kind"]:
        filters["kind"] = form.cleaned_data["level_kind"]
    back += "?" + urlencode(filters)
    if proposal is None:
        messages.error(request, _("That proposal no longer applies."))
        return redirect(back)

    chosen = {
        p.pk: p for p in people.filter(pk__in=[proposal.person_id, proposal.mentor_id])
    }
    # Everyone reads an action, so its words are in the product's language,
    # not in the language of whoever clicked.
    with translation.override(settings.LANGUAGE_CODE):
        description = proposal.reason
    action, created = create_action(
        kind=proposal.kind,
        competence=competence,
        description=description,
        by=request.user,
        person=chosen.get(proposal.person_id),
        unit=None if proposal.person_id else unit,
        mentor=chosen.get(proposal.mentor_id),
    )
    if created:
        messages.success(
            request, _("Action created: %(text)s") % {"text": action.description}
        )
    else:
        messages.info(request, _("An open action already covers this proposal."))
    return redirect(back)


@require_GET
def export_heatmap(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    analysis = analyse(request, pk)
    unit, competences = analysis.unit, analysis.competences

    children = list(unit.children.order_by("name"))
    summaries = child_summaries(unit, analysis.people, competences, analysis.kind)
    members = analysis.standings(analysis.people.filter(unit=unit))
    rows = unit_rows(children, competences, summaries)
    rows += person_rows(members.people, competences, members)
    shown_ids = [person.pk for person in members.people]
    record_ids(request.user, shown_ids, AccessLog.Action.EXPORT, ANALYSIS)
    return exports.heatmap_response(unit, rows, fmt)


@require_GET
def export_plan(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The proposals as the page shows them: named, or counted per child
    unit above the limit (`manage.py export_proposals` names everyone in
    any unit)."""
    analysis = analyse(request, pk)
    unit = analysis.unit
    children = counted(analysis, analysis.people.count())
    if children:
        table = exports.tally_table(counted_plans(analysis, children))
        return exports.plan_response(unit, table, fmt)

    standings = analysis.standings()
    plans = unit_plans(unit, analysis.competences, standings, analysis.thresholds)
    record_ids(request.user, named_people(plans), AccessLog.Action.EXPORT, ANALYSIS)
    return exports.plan_response(unit, exports.plan_table(plans, standings), fmt)


def counted(analysis: Analysis, people_count: int) -> list[OrgUnit] | None:
    """The child units to count the proposals by, when the unit has more
    people than the page names and child units to count them in."""
    if people_count <= settings.ANALYSIS_NAMED_LIMIT:
        return None
    return list(analysis.unit.children.order_by("name")) or None


def counted_plans(
    analysis: Analysis,
    children: list[OrgUnit],
    actions: Iterable[Action] = (),
) -> list[CompetenceTally]:
    """The proposals counted per child unit, for units above the limit."""
    unit = analysis.unit
    histograms = child_histograms(
        unit, analysis.people, analysis.competences, analysis.kind, everyone=True
    )
    return tally_plans(
        unit,
        children,
        analysis.competences,
        histograms,
        analysis.thresholds,
        open_keys(actions),
    )


def page_unit(request: HttpRequest, unit: OrgUnit, form: ProposalForm) -> OrgUnit:
    """The unit whose page to go back to: the one the form names, if the
    user may analyse it and it is at or above `unit`; else `unit`."""
    pk = form.cleaned_data["back"]
    if pk is None or pk == unit.pk:
        return unit
    above = visible_units(request.user).filter(pk=pk).first()
    if above is None or not unit.path.startswith(above.path):
        return unit
    return above


def ancestors(request: HttpRequest, unit: OrgUnit) -> list[OrgUnit]:
    """The units above this one that the user may also analyse, for the
    breadcrumb trail."""
    return list(
        visible_units(request.user)
        .filter(pk__in=[int(pk) for pk in unit.path.split("/") if pk])
        .exclude(pk=unit.pk)
        .order_by("path")
    )
