"""Load a framework file (the product's own JSON format) into the catalogue.

The file is the whole truth about one framework version: loading it twice
changes nothing, and loading a changed file updates that version in place
unless the version is published, which is refused (publish a new version).
"""

from __future__ import annotations

import json
import uuid as uuid_module
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from catalogue.models import (
    Competence,
    CompetenceIndicator,
    CompetenceLevel,
    Framework,
    Indicator,
    Level,
    Scale,
)

FORMAT = "kompetansemodul-framework/1"
BUNDLED = Path(__file__).resolve().parent / "frameworks"
# What the catalogue's fields hold; a file is checked against these before
# anything is written, so no database refuses a value half-way through.
NAME_LIMIT = Framework._meta.get_field("name").max_length or 200
LANGUAGE_LIMIT = Framework._meta.get_field("language").max_length or 10
VERSION_LIMIT = 2_147_483_647  # a PositiveIntegerField on every database
LEVEL_LIMITS = (0, 100)  # what the draft editor offers, too
# Scales a loaded framework gets for itself are named from this.
OWN_SCALE = uuid_module.UUID("3b0e6f6c-52c4-4d0e-9a0b-6d2f4f5b7a11")


class FrameworkFileError(Exception):
    """The file cannot be loaded; `problems` names each fault by JSON path."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class LoadResult:
    framework: Framework
    counts: Counter[str] = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        return bool(self.counts["created"] or self.counts["updated"])

    def summary(self) -> str:
        """One line for the commands that load or import a framework."""
        return _(
            "%(framework)s: %(created)d created, %(updated)d updated, "
            "%(unchanged)d unchanged"
        ) % {
            "framework": self.framework,
            "created": self.counts["created"],
            "updated": self.counts["updated"],
            "unchanged": self.counts["unchanged"],
        }


def bundled_framework_paths() -> list[Path]:
    return sorted(BUNDLED.glob("*.json"))


def load_framework_file(path: Path) -> LoadResult:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise FrameworkFileError(
            [_("Cannot read %(path)s: %(error)s") % {"path": path, "error": exc}]
        ) from exc
    except json.JSONDecodeError as exc:
        raise FrameworkFileError(
            [
                _("Invalid JSON at line %(line)s: %(error)s")
                % {"line": exc.lineno, "error": exc.msg}
            ]
        ) from exc
    validate(data)
    return load_framework(data)


def text_problem(value: str, limit: int | None = None) -> str | None:
    """Why a text cannot be stored, or None: databases refuse NUL
    characters and unpaired surrogates, and a field holds `limit`
    characters at most."""
    if "\x00" in value:
        return _("contains a NUL character")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return _("contains a character that is not valid Unicode")
    if limit is not None and len(value) > limit:
        return _("longer than %(limit)s characters (%(length)s)") % {
            "limit": limit,
            "length": len(value),
        }
    return None


def level_problem(number: int | str) -> str | None:
    """Why a level number cannot be, or None; a text stands for a number
    too long to convert."""
    low, high = LEVEL_LIMITS
    if isinstance(number, int) and low <= number <= high:
        return None
    return _("level %(number)s is outside %(low)s–%(high)s") % {
        "number": number,
        "low": low,
        "high": high,
    }


def version_problem(version: int) -> str | None:
    if 1 <= version <= VERSION_LIMIT:
        return None
    return _("the version must be a whole number from 1 to %(limit)s") % {
        "limit": VERSION_LIMIT
    }


def _text_problems(data: Any) -> list[str]:
    """A fault for every text in the document that no database stores;
    a walk without recursion."""
    problems = []
    stack: list[tuple[str, Any]] = [("$", data)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, str):
            problem = text_problem(value)
            if problem:
                problems.append(f"{where}: {problem}")
        elif isinstance(value, dict):
            stack.extend((f"{where}.{key}", item) for key, item in value.items())
        elif isinstance(value, list):
            stack.extend((f"{where}[{i}]", item) for i, item in enumerate(value))
    return sorted(problems)


def validate(data: Any) -> None:
    """Raise FrameworkFileError naming every fault found in the document."""
    problems: list[str] = []

    def need(
        obj: Any, key: str, kind: type, where: str, *, limit: int | None = None
    ) -> Any:
        value = obj.get(key) if isinstance(obj, dict) else None
        if not isinstance(value, kind) or isinstance(value, bool):
            problems.append(
                _("%(where)s.%(key)s: expected %(kind)s")
                % {"where": where, "key": key, "kind": kind.__name__}
            )
            return None
        if limit is not None and len(value) > limit:
            problems.append(
                _("%(where)s.%(key)s: longer than %(limit)s characters (%(length)s)")
                % {"where": where, "key": key, "limit": limit, "length": len(value)}
            )
        return value

    def name(obj: Any, key: str, where: str, *, limit: int | None = None) -> None:
        value = need(obj, key, str, where, limit=limit)
        if value is not None and not value.strip():
            problems.append(
                _("%(where)s.%(key)s: must not be empty") % {"where": where, "key": key}
            )

    def level(obj: Any, where: str, numbers: set[int]) -> int | None:
        number = need(obj, "number", int, where)
        if number is None:
            return None
        problem = level_problem(number)
        if problem:
            problems.append(f"{where}.number: {problem}")
            return None
        if number in numbers:
            problems.append(_("%(where)s.number: duplicate") % {"where": where})
        numbers.add(number)
        return number

    def need_uuid(obj: Any, where: str) -> None:
        value = need(obj, "uuid", str, where)
        if value is not None:
            try:
                uuid_module.UUID(value)
            except ValueError:
                problems.append(_("%(where)s.uuid: not a UUID") % {"where": where})

    def need_replaces(obj: Any, where: str) -> None:
        value = obj.get("replaces") if isinstance(obj, dict) else None
        if value is None:
            return
        try:
            uuid_module.UUID(str(value))
        except ValueError:
            problems.append(_("%(where)s.replaces: not a UUID") % {"where": where})

    if not isinstance(data, dict):
        raise FrameworkFileError([_("$: expected an object")])
    if data.get("format") != FORMAT:
        problems.append(_("$.format: expected %(format)s") % {"format": FORMAT})
    need_uuid(data, "$")
    name(data, "name", "$", limit=NAME_LIMIT)
    if data.get("language") is not None:
        need(data, "language", str, "$", limit=LANGUAGE_LIMIT)
    version = need(data, "version", int, "$")
    if version is not None and version_problem(version):
        problems.append(f"$.version: {version_problem(version)}")
    if data.get("status") not in Framework.Status.values:
        problems.append(_("$.status: unknown status"))
    scale = need(data, "scale", dict, "$")
    numbers: set[int] = set()
    if scale is not None:
        need_uuid(scale, "$.scale")
        name(scale, "name", "$.scale", limit=NAME_LIMIT)
        for i, item in enumerate(need(scale, "levels", list, "$.scale") or []):
            where = f"$.scale.levels[{i}]"
            level(item, where, numbers)
            name(item, "name", where, limit=NAME_LIMIT)
        if not numbers:
            problems.append(_("$.scale.levels: a scale needs at least one level"))
    seen: set[str] = set()
    indicator_texts: dict[str, str] = {}
    for i, comp in enumerate(need(data, "competences", list, "$") or []):
        where = f"$.competences[{i}]"
        need_uuid(comp, where)
        need_replaces(comp, where)
        name(comp, "name", where, limit=NAME_LIMIT)
        if isinstance(comp, dict):
            key = str(comp.get("uuid", "")).lower()
            if key in seen:
                problems.append(_("%(where)s.uuid: duplicate") % {"where": where})
            seen.add(key)
        for j, ind in enumerate(need(comp, "indicators", list, where) or []):
            iwhere = f"{where}.indicators[{j}]"
            need_uuid(ind, iwhere)
            need_replaces(ind, iwhere)
            text = need(ind, "text", str, iwhere)
            if text is not None and not text.strip():
                problems.append(
                    _("%(where)s.text: must not be empty") % {"where": iwhere}
                )
            key = str(ind.get("uuid", "")).lower() if isinstance(ind, dict) else ""
            if text is not None and indicator_texts.setdefault(key, text) != text:
                problems.append(
                    _(
                        "%(where)s: a shared indicator must have the same text "
                        "everywhere"
                    )
                    % {"where": iwhere}
                )
        levels = comp.get("levels", []) if isinstance(comp, dict) else []
        texts: set[int] = set()
        for j, text_item in enumerate(levels if isinstance(levels, list) else [None]):
            lwhere = f"{where}.levels[{j}]"
            number = level(text_item, lwhere, texts)
            need(text_item, "description", str, lwhere)
            if number is not None and numbers and number not in numbers:
                problems.append(
                    _("%(where)s.number: %(number)s is not on the scale")
                    % {"where": lwhere, "number": number}
                )
    problems += _text_problems(data)
    if problems:
        raise FrameworkFileError(problems)


@transaction.atomic
def load_framework(data: dict[str, Any]) -> LoadResult:
    """Create or update the framework version described by a validated file.

    A published version is frozen: a file that would change it is refused
    and nothing is written.
    """
    counts: Counter[str] = Counter()
    existing_status = (
        Framework.objects.filter(
            uuid=uuid_module.UUID(data["uuid"]), version=data["version"]
        )
        .values_list("status", flat=True)
        .first()
    )
    was_published = existing_status == Framework.Status.PUBLISHED
    status = data["status"]
    if existing_status == Framework.Status.RETIRED:
        # A later version took over from this one (publishing it retired
        # this); loading the old file again must not bring it back.
        status = existing_status
    scale, scale_state = _upsert(
        Scale,
        {"uuid": scale_uuid(data)},
        {
            "name": data["scale"]["name"],
            "description": data["scale"].get("description", ""),
        },
    )
    counts[scale_state] += 1
    for level in data["scale"]["levels"]:
        _level, state = _upsert(
            Level,
            {"scale": scale, "number": level["number"]},
            {"name": level["name"], "description": level.get("description", "")},
        )
        counts[state] += 1

    framework, state = _upsert(
        Framework,
        {"uuid": uuid_module.UUID(data["uuid"]), "version": data["version"]},
        {
            "name": data["name"],
            "description": data.get("description", ""),
            "language": data.get("language", "nb"),
            "status": status,
            "scale": scale,
        },
    )
    counts[state] += 1

    for position, comp in enumerate(data["competences"], start=1):
        competence, state = _upsert(
            Competence,
            {"framework": framework, "uuid": uuid_module.UUID(comp["uuid"])},
            {
                "name": comp["name"],
                "description": comp.get("description", ""),
                "position": position,
                "replaces": _optional_uuid(comp.get("replaces")),
            },
        )
        counts[state] += 1
        for ind_position, ind in enumerate(comp["indicators"], start=1):
            indicator, state = _upsert(
                Indicator,
                {"framework": framework, "uuid": uuid_module.UUID(ind["uuid"])},
                {"text": ind["text"], "replaces": _optional_uuid(ind.get("replaces"))},
            )
            counts[state] += 1
            _link, state = _upsert(
                CompetenceIndicator,
                {"competence": competence, "indicator": indicator},
                {"position": ind_position},
            )
            counts[state] += 1
        for level in comp.get("levels", []):
            _text, state = _upsert(
                CompetenceLevel,
                {"competence": competence, "number": level["number"]},
                {"description": level["description"]},
            )
            counts[state] += 1

    result = LoadResult(framework=framework, counts=counts)
    if was_published and result.changed:
        raise FrameworkFileError(
            [
                _(
                    "Version %(version)s of %(name)s is published and cannot "
                    "change; give the file a new version number."
                )
                % {"version": data["version"], "name": data["name"]}
            ]
        )
    return result


def scale_uuid(data: dict[str, Any]) -> uuid_module.UUID:
    """The scale row this framework version keeps its levels in: the one
    the file names, unless another framework (another version or another
    framework altogether) uses that row; then a row of its own, named from
    the framework, its version and the file's scale. Loading a file thus
    never changes the levels another framework shows, and loading it again
    finds the same row."""
    named = uuid_module.UUID(data["scale"]["uuid"])
    others = Framework.objects.filter(scale__uuid=named).exclude(
        uuid=uuid_module.UUID(data["uuid"]), version=data["version"]
    )
    if not others.exists():
        return named
    return uuid_module.uuid5(OWN_SCALE, f"{data['uuid']}/{data['version']}/{named}")


def _optional_uuid(value: str | None) -> uuid_module.UUID | None:
    return uuid_module.UUID(value) if value else None


def _upsert(
    model: Any, keys: dict[str, Any], values: dict[str, Any]
) -> tuple[Any, str]:
    """Return (object, "created" | "updated" | "unchanged") without writing
    when nothing differs."""
    obj = model.objects.filter(**keys).first()
    if obj is None:
        return model.objects.create(**keys, **values), "created"
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if not changed:
        return obj, "unchanged"
    for name in changed:
        setattr(obj, name, values[name])
    obj.save(update_fields=changed)
    return obj, "updated"


def framework_data(framework: Framework) -> dict[str, Any]:
    """The framework version in the product's own format: what
    `load_framework` reads, and what the exchange formats convert from.
    Four queries, however large the framework."""
    levels = list(framework.scale.levels.all())
    links: dict[int, list[dict[str, str]]] = {}
    for link in CompetenceIndicator.objects.filter(
        competence__framework=framework
    ).select_related("indicator"):
        indicator = {"uuid": str(link.indicator.uuid), "text": link.indicator.text}
        if link.indicator.replaces:
            indicator["replaces"] = str(link.indicator.replaces)
        links.setdefault(link.competence_id, []).append(indicator)
    texts: dict[int, list[dict[str, Any]]] = {}
    for text in CompetenceLevel.objects.filter(competence__framework=framework):
        texts.setdefault(text.competence_id, []).append(
            {"number": text.number, "description": text.description}
        )
    competences = []
    for competence in framework.competences.all():
        item: dict[str, Any] = {
            "uuid": str(competence.uuid),
            "name": competence.name,
            "description": competence.description,
            "indicators": links.get(competence.pk, []),
        }
        if competence.pk in texts:
            item["levels"] = texts[competence.pk]
        if competence.replaces:
            item["replaces"] = str(competence.replaces)
        competences.append(item)
    return {
        "format": FORMAT,
        "uuid": str(framework.uuid),
        "version": framework.version,
        "status": framework.status,
        "language": framework.language,
        "name": framework.name,
        "description": framework.description,
        "scale": {
            "uuid": str(framework.scale.uuid),
            "name": framework.scale.name,
            "description": framework.scale.description,
            "levels": [
                {
                    "number": level.number,
                    "name": level.name,
                    "description": level.description,
                }
                for level in levels
            ],
        },
        "competences": competences,
    }
