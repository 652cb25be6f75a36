"""1EdTech CASE 1.0/1.1 JSON: a framework as a CFPackage, and back.

The framework is the CFDocument; each competence and indicator a CFItem
with its CFItemType; isChildOf associations carry the order
(sequenceNumber), and a shared indicator has one association per
competence it stands under. The scale is a CFRubric with one criterion for
the scale's own texts and one per competence that says what a level means
there. Identifiers are the catalogue's own lowercase UUIDs, so they stay
the same across versions.

Both directions go through the product's own framework format (see
catalogue.loading), which does the writing.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.utils.translation import gettext as _

from catalogue.loading import (
    LANGUAGE_LIMIT,
    NAME_LIMIT,
    VERSION_LIMIT,
    level_problem,
    text_problem,
    version_problem,
)
from exchange.errors import ExchangeError, as_uuid, derived_uuid

COMPETENCE = "Competence"
INDICATOR = "Indicator"
CHILD_OF = "isChildOf"
REPLACED_BY = "replacedBy"
ADOPTION = {"draft": "Draft", "published": "Adopted", "retired": "Deprecated"}
# ASCII digits only: str.isdigit() also takes "²", which int() refuses.
WHOLE_NUMBER = re.compile(r"-?[0-9]+")
VERSION = re.compile(r"[vV]?([0-9]+)")


def uri(identifier: str) -> str:
    return f"urn:uuid:{identifier}"


def link(identifier: str, title: str) -> dict[str, str]:
    return {"title": title, "identifier": identifier, "uri": uri(identifier)}


def to_case(data: dict[str, Any], now: datetime.datetime) -> dict[str, Any]:
    """A CFPackage for one framework version in the product's format."""
    stamp = now.strftime("%Y-%m-%dT%H:%M:%S+00:00")
    document = link(data["uuid"], data["name"])
    types = {
        kind: link(derived_uuid("item-type", kind), kind)
        for kind in (COMPETENCE, INDICATOR)
    }
    items: dict[str, dict[str, Any]] = {}
    associations: list[dict[str, Any]] = []

    def item(identifier: str, statement: str, kind: str, **extra: Any) -> None:
        items[identifier] = {
            "identifier": identifier,
            "uri": uri(identifier),
            "fullStatement": statement,
            "CFItemType": kind,
            "CFItemTypeURI": types[kind],
            "CFDocumentURI": document,
            "language": data["language"],
            "lastChangeDateTime": stamp,
            **extra,
        }

    def associate(
        kind: str, origin: dict, destination: dict, position: int | None = None
    ) -> None:
        identifier = derived_uuid(kind, origin["identifier"], destination["identifier"])
        association = {
            "identifier": identifier,
            "uri": uri(identifier),
            "associationType": kind,
            "originNodeURI": origin,
            "destinationNodeURI": destination,
            "CFDocumentURI": document,
            "lastChangeDateTime": stamp,
        }
        if position is not None:
            association["sequenceNumber"] = position
        associations.append(association)

    def child_of(origin: dict, destination: dict, position: int) -> None:
        associate(CHILD_OF, origin, destination, position)

    def replaced(entry: dict[str, Any], title: str) -> None:
        # The replaced item belongs to an earlier version; it is named by
        # its identifier only.
        if entry.get("replaces"):
            old = {
                "title": "",
                "identifier": entry["replaces"],
                "uri": uri(entry["replaces"]),
            }
            associate(REPLACED_BY, old, link(entry["uuid"], title))

    for position, comp in enumerate(data["competences"], start=1):
        extra = {"notes": comp["description"]} if comp["description"] else {}
        item(comp["uuid"], comp["name"], COMPETENCE, **extra)
        parent = link(comp["uuid"], comp["name"])
        child_of(parent, document, position)
        replaced(comp, comp["name"])
        for ind_position, ind in enumerate(comp["indicators"], start=1):
            if ind["uuid"] not in items:
                replaced(ind, ind["text"])
            item(ind["uuid"], ind["text"], INDICATOR)
            child_of(link(ind["uuid"], ind["text"]), parent, ind_position)

    return {
        "CFDocument": {
            **document,
            "creator": data.get("creator", ""),
            "description": data["description"],
            "language": data["language"],
            "version": str(data["version"]),
            "adoptionStatus": ADOPTION[data["status"]],
            "lastChangeDateTime": stamp,
            "CFPackageURI": link(data["uuid"], data["name"]),
        },
        "CFItems": list(items.values()),
        "CFAssociations": associations,
        "CFDefinitions": {
            "CFItemTypes": [
                {
                    **types[kind],
                    "typeCode": kind.lower(),
                    "description": kind,
                    "hierarchyCode": str(depth),
                    "lastChangeDateTime": stamp,
                }
                for depth, kind in enumerate((COMPETENCE, INDICATOR), start=1)
            ]
        },
        "CFRubrics": [rubric(data, stamp)],
    }


def rubric(data: dict[str, Any], stamp: str) -> dict[str, Any]:
    scale = data["scale"]
    names = {level["number"]: level["name"] for level in scale["levels"]}

    def criterion(key: str, position: int, levels: list[dict], **extra: Any) -> dict:
        identifier = derived_uuid("criterion", key)
        return {
            "identifier": identifier,
            "uri": uri(identifier),
            "rubricId": scale["uuid"],
            "position": position,
            "lastChangeDateTime": stamp,
            **extra,
            "CFRubricCriterionLevels": [
                {
                    "identifier": derived_uuid("level", key, level["number"]),
                    "uri": uri(derived_uuid("level", key, level["number"])),
                    "rubricCriterionId": identifier,
                    "quality": names[level["number"]],
                    "score": level["number"],
                    "description": level["description"],
                    "position": i,
                    "lastChangeDateTime": stamp,
                }
                for i, level in enumerate(levels, start=1)
            ],
        }

    criteria = [
        criterion(
            scale["uuid"],
            1,
            scale["levels"],
            category=scale["name"],
            description=scale["description"],
        )
    ]
    for comp in data["competences"]:
        if comp.get("levels"):
            criteria.append(
                criterion(
                    comp["uuid"],
                    len(criteria) + 1,
                    comp["levels"],
                    category=comp["name"],
                    CFItemURI=link(comp["uuid"], comp["name"]),
                )
            )
    return {
        "identifier": scale["uuid"],
        "uri": uri(scale["uuid"]),
        "title": scale["name"],
        "description": scale["description"],
        "lastChangeDateTime": stamp,
        "CFRubricCriteria": criteria,
    }


class _Reader:
    """Collects every fault of a package before giving up, so one upload
    reports them all."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def fault(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def obj(self, value: Any, where: str) -> dict[str, Any] | None:
        if isinstance(value, dict):
            return value
        self.fault(where, _("expected an object"))
        return None

    def array(self, value: Any, where: str) -> list[Any]:
        if value is None:
            return []
        if isinstance(value, list):
            return value
        self.fault(where, _("expected a list"))
        return []

    def text(
        self,
        value: Any,
        where: str,
        *,
        required: bool = True,
        limit: int | None = None,
    ) -> str:
        """A text; a required one must not be empty."""
        if isinstance(value, str):
            problem = text_problem(value, limit)
            if problem:
                self.fault(where, problem)
            elif required and not value.strip():
                self.fault(where, _("must not be empty"))
            return value
        if value is None and not required:
            return ""
        self.fault(where, _("expected text"))
        return ""

    def identifier(self, obj: dict[str, Any], where: str) -> str | None:
        value = as_uuid(obj.get("identifier"))
        if value is None:
            self.fault(f"{where}.identifier", _("not a UUID"))
        return value

    def number(self, value: Any, where: str) -> int | None:
        if isinstance(value, bool):
            value = None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, str) and WHOLE_NUMBER.fullmatch(value.strip()):
            value = int(value)
        if isinstance(value, int):
            return value
        self.fault(where, _("expected a whole number"))
        return None


def from_case(package: Any) -> dict[str, Any]:
    """The framework in a CFPackage, in the product's format; ExchangeError
    names every fault found."""
    reader = _Reader()
    root = "$"
    if isinstance(package, dict) and "CFPackage" in package:
        package, root = package["CFPackage"], "$.CFPackage"
    package = reader.obj(package, root)
    document = reader.obj((package or {}).get("CFDocument"), f"{root}.CFDocument")
    if package is None or document is None:
        raise ExchangeError(reader.problems)
    where = f"{root}.CFDocument"
    doc_id = reader.identifier(document, where)
    data: dict[str, Any] = {
        "format": "kompetansemodul-framework/1",
        "uuid": doc_id,
        "name": reader.text(document.get("title"), f"{where}.title", limit=NAME_LIMIT),
        "description": reader.text(
            document.get("description"), f"{where}.description", required=False
        ),
        "language": reader.text(
            document.get("language"),
            f"{where}.language",
            required=False,
            limit=LANGUAGE_LIMIT,
        )
        or "nb",
        "version": _version(reader, document.get("version"), f"{where}.version"),
        "status": _status(document.get("adoptionStatus")),
    }
    items = _items(reader, package, root, doc_id)
    parents = _parents(reader, package, root, items, doc_id)
    if doc_id is None:
        # Without the document nothing can be placed under it.
        raise ExchangeError(reader.problems)
    data["competences"] = _tree(reader, root, items, parents, doc_id)
    data["scale"] = _scale(reader, package, root, data["competences"])
    if reader.problems:
        raise ExchangeError(reader.problems)
    return data


def _version(reader: _Reader, value: Any, where: str) -> int:
    """CASE versions are free text; "2", "2.0", "2-utkast" and "v2" all
    give 2, no version gives 1. One that does not begin with a number is a
    fault, rather than silently version 1."""
    if value is None or value == "":
        return 1
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    match = None
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        match = VERSION.match(str(value).strip())
    if match is None:
        reader.fault(where, _("expected a version number such as 2 or 2.0"))
        return 1
    digits = match.group(1)
    # Thousands of digits are more than int() reads, and far past the limit.
    number = int(digits) if len(digits) <= 12 else VERSION_LIMIT + 1
    problem = version_problem(number)
    if problem:
        reader.fault(where, problem)
        return 1
    return number


def _status(value: Any) -> str:
    status = str(value or "").lower()
    if status == "draft":
        return "draft"
    if status == "deprecated":
        return "retired"
    return "published"


def _items(
    reader: _Reader, package: dict, root: str, doc_id: str | None
) -> dict[str, dict[str, Any]]:
    items: dict[str, dict[str, Any]] = {}
    for i, raw in enumerate(reader.array(package.get("CFItems"), f"{root}.CFItems")):
        where = f"{root}.CFItems[{i}]"
        item = reader.obj(raw, where)
        if item is None:
            continue
        identifier = reader.identifier(item, where)
        if identifier is None:
            continue
        if identifier in items or identifier == doc_id:
            reader.fault(f"{where}.identifier", _("duplicate identifier"))
            continue
        items[identifier] = {
            "where": where,
            "statement": reader.text(
                item.get("fullStatement"), f"{where}.fullStatement"
            ),
            "notes": reader.text(item.get("notes"), f"{where}.notes", required=False),
        }
    return items


def _parents(
    reader: _Reader,
    package: dict,
    root: str,
    items: dict[str, dict[str, Any]],
    doc_id: str | None,
) -> dict[str, list[tuple[int, int, str]]]:
    """isChildOf links per item: (sequence number, place in file, parent).
    Other association types (replacedBy, isRelatedTo, ...) are ignored."""
    parents: dict[str, list[tuple[int, int, str]]] = {}
    raw_list = reader.array(package.get("CFAssociations"), f"{root}.CFAssociations")
    for j, raw in enumerate(raw_list):
        where = f"{root}.CFAssociations[{j}]"
        association = reader.obj(raw, where)
        if association is None:
            continue
        kind = reader.text(
            association.get("associationType"), f"{where}.associationType"
        ).lower()
        if kind in ("replacedby", "isreplacedby"):
            _replacement(reader, association, where, items)
            continue
        if kind != CHILD_OF.lower():
            continue
        origin = reader.obj(association.get("originNodeURI"), f"{where}.originNodeURI")
        target = reader.obj(
            association.get("destinationNodeURI"), f"{where}.destinationNodeURI"
        )
        if origin is None or target is None:
            continue
        child = reader.identifier(origin, f"{where}.originNodeURI")
        parent = reader.identifier(target, f"{where}.destinationNodeURI")
        if child is not None and child not in items:
            reader.fault(f"{where}.originNodeURI.identifier", _("unknown item"))
        if parent is not None and parent != doc_id and parent not in items:
            reader.fault(f"{where}.destinationNodeURI.identifier", _("unknown parent"))
        sequence = association.get("sequenceNumber")
        if sequence is not None:
            sequence = reader.number(sequence, f"{where}.sequenceNumber")
        if child is None or parent is None:
            continue
        if any(p == parent for _s, _j, p in parents.get(child, [])):
            reader.fault(where, _("the same item is linked to this parent twice"))
        parents.setdefault(child, []).append(
            (sequence if sequence is not None else j, j, parent)
        )
    _find_cycles(reader, root, parents)
    return parents


def _replacement(
    reader: _Reader, association: dict, where: str, items: dict[str, dict]
) -> None:
    """Remember which item replaces which; the replaced one may belong to
    an earlier version and need not be in the package."""
    origin = association.get("originNodeURI")
    target = association.get("destinationNodeURI")
    old = as_uuid(origin.get("identifier")) if isinstance(origin, dict) else None
    new = as_uuid(target.get("identifier")) if isinstance(target, dict) else None
    if old is None or new is None:
        reader.fault(where, _("a replacedBy association needs two identifiers"))
    elif new in items:
        items[new]["replaces"] = old


def _find_cycles(
    reader: _Reader, root: str, parents: dict[str, list[tuple[int, int, str]]]
) -> None:
    """Report each loop in the parent links; a walk without recursion, so a
    long crafted chain cannot exhaust the stack."""
    done: set[str] = set()
    for start in parents:
        if start in done:
            continue
        path = [start]
        stack = [iter(parents[start])]
        while stack:
            step = next(stack[-1], None)
            if step is None:
                stack.pop()
                done.add(path.pop())
                continue
            parent = step[2]
            if parent in path:
                cycle = [*path[path.index(parent) :], parent]
                reader.fault(
                    f"{root}.CFAssociations",
                    _("cycle in parent links: %(items)s")
                    % {"items": " → ".join(cycle)},
                )
            elif parent in parents and parent not in done:
                path.append(parent)
                stack.append(iter(parents[parent]))


def _tree(
    reader: _Reader,
    root: str,
    items: dict[str, dict[str, Any]],
    parents: dict[str, list[tuple[int, int, str]]],
    doc_id: str | None,
) -> list[dict[str, Any]]:
    """Competences are the document's children, indicators theirs."""
    competences = sorted(
        (sequence, j, child)
        for child, links in parents.items()
        for sequence, j, parent in links
        if parent == doc_id and child in items
    )
    top = {child for _s, _j, child in competences}
    children: dict[str, list[tuple[int, int, str]]] = {}
    for identifier, item in items.items():
        links = parents.get(identifier, [])
        if not links:
            reader.fault(item["where"], _("not linked to the document or a competence"))
        elif identifier in top and len(links) > 1:
            reader.fault(item["where"], _("a competence cannot also be an indicator"))
        elif identifier not in top:
            for sequence, j, parent in links:
                if parent not in top:
                    reader.fault(
                        item["where"],
                        _("only competences and their indicators are supported"),
                    )
                    break
                children.setdefault(parent, []).append((sequence, j, identifier))
    result = []
    for _s, _j, identifier in competences:
        problem = text_problem(items[identifier]["statement"], NAME_LIMIT)
        if problem:
            # A competence's statement is its name, which has a limit.
            reader.fault(f"{items[identifier]['where']}.fullStatement", problem)
        indicators = []
        for _s2, _j2, child in sorted(children.get(identifier, [])):
            indicators.append(
                with_replaces(
                    {"uuid": child, "text": items[child]["statement"]}, items[child]
                )
            )
        competence = {
            "uuid": identifier,
            "name": items[identifier]["statement"],
            "description": items[identifier]["notes"],
            "indicators": indicators,
        }
        result.append(with_replaces(competence, items[identifier]))
    return result


def with_replaces(entry: dict[str, Any], item: dict[str, Any]) -> dict[str, Any]:
    if item.get("replaces"):
        entry["replaces"] = item["replaces"]
    return entry


def _scale(
    reader: _Reader, package: dict, root: str, competences: list[dict[str, Any]]
) -> dict[str, Any]:
    rubrics = reader.array(package.get("CFRubrics"), f"{root}.CFRubrics")
    if not rubrics:
        reader.fault(f"{root}.CFRubrics", _("the level scale is missing"))
        return {}
    where = f"{root}.CFRubrics[0]"
    rubric = reader.obj(rubrics[0], where) or {}
    scale: dict[str, Any] = {
        "uuid": reader.identifier(rubric, where),
        "name": reader.text(rubric.get("title"), f"{where}.title", limit=NAME_LIMIT),
        "description": reader.text(
            rubric.get("description"), f"{where}.description", required=False
        ),
        "levels": [],
    }
    by_uuid = {comp["uuid"]: comp for comp in competences}
    criteria = reader.array(rubric.get("CFRubricCriteria"), f"{where}.CFRubricCriteria")
    for k, raw in enumerate(criteria):
        cwhere = f"{where}.CFRubricCriteria[{k}]"
        criterion = reader.obj(raw, cwhere)
        if criterion is None:
            continue
        levels = _levels(reader, criterion, cwhere)
        item = criterion.get("CFItemURI")
        if item is None:
            scale["levels"] = [
                {"number": n, "name": name, "description": text}
                for n, name, text in levels
            ]
            continue
        identifier = as_uuid(item.get("identifier")) if isinstance(item, dict) else None
        if identifier not in by_uuid:
            reader.fault(f"{cwhere}.CFItemURI.identifier", _("unknown competence"))
            continue
        by_uuid[identifier]["levels"] = [
            {"number": n, "description": text} for n, _name, text in levels
        ]
    numbers = {level["number"] for level in scale["levels"]}
    if not numbers:
        reader.fault(f"{where}.CFRubricCriteria", _("the scale has no levels"))
    for k, raw in enumerate(criteria):
        if isinstance(raw, dict) and raw.get("CFItemURI") is not None:
            for m, level in enumerate(_levels(_Reader(), raw, "")):
                if numbers and level[0] not in numbers:
                    reader.fault(
                        f"{where}.CFRubricCriteria[{k}].CFRubricCriterionLevels[{m}]"
                        ".score",
                        _("%(value)s is not on the scale") % {"value": level[0]},
                    )
    return scale


def _levels(
    reader: _Reader, criterion: dict[str, Any], where: str
) -> list[tuple[int, str, str]]:
    """(score, quality, description) of each level, by position."""
    found: list[tuple[int, int, str, str]] = []
    raw_levels = reader.array(
        criterion.get("CFRubricCriterionLevels"), f"{where}.CFRubricCriterionLevels"
    )
    seen: set[int] = set()
    for m, raw in enumerate(raw_levels):
        lwhere = f"{where}.CFRubricCriterionLevels[{m}]"
        level = reader.obj(raw, lwhere)
        if level is None:
            continue
        score = reader.number(level.get("score"), f"{lwhere}.score")
        if score is None:
            continue
        problem = level_problem(score)
        if problem:
            reader.fault(f"{lwhere}.score", problem)
            continue
        if score in seen:
            reader.fault(f"{lwhere}.score", _("duplicate level"))
            continue
        seen.add(score)
        position = level.get("position")
        found.append(
            (
                position if isinstance(position, int) else m,
                score,
                reader.text(
                    level.get("quality"),
                    f"{lwhere}.quality",
                    required=False,
                    limit=NAME_LIMIT,
                )
                or str(score),
                reader.text(
                    level.get("description"), f"{lwhere}.description", required=False
                ),
            )
        )
    return [(score, name, text) for _p, score, name, text in sorted(found)]
