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


def validate(data: Any) -> None:
    """Raise FrameworkFileError naming every fault found in the document."""
    problems: list[str] = []

    def need(obj: Any, key: str, kind: type, where: str) -> Any:
        value = obj.get(key) if isinstance(obj, dict) else None
        if not isinstance(value, kind) or isinstance(value, bool):
            problems.append(
                _("%(where)s.%(key)s: expected %(kind)s")
                % {"where": where, "key": key, "kind": kind.__name__}
            )
            return None
        return value

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
    need(data, "name", str, "$")
    version = need(data, "version", int, "$")
    if version is not None and version < 1:
        problems.append(_("$.version: must be 1 or more"))
    if data.get("status") not in Framework.Status.values:
        problems.append(_("$.status: unknown status"))
    scale = need(data, "scale", dict, "$")
    numbers: set[int] = set()
    if scale is not None:
        need_uuid(scale, "$.scale")
        need(scale, "name", str, "$.scale")
        for i, level in enumerate(need(scale, "levels", list, "$.scale") or []):
            where = f"$.scale.levels[{i}]"
            number = need(level, "number", int, where)
            need(level, "name", str, where)
            if number is not None:
                if number in numbers:
                    problems.append(_("%(where)s.number: duplicate") % {"where": where})
                numbers.add(number)
        if not numbers:
            problems.append(_("$.scale.levels: a scale needs at least one level"))
    seen: set[str] = set()
    indicator_texts: dict[str, str] = {}
    for i, comp in enumerate(need(data, "competences", list, "$") or []):
        where = f"$.competences[{i}]"
        need_uuid(comp, where)
        need_replaces(comp, where)
        need(comp, "name", str, where)
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
        for j, level in enumerate(levels if isinstance(levels, list) else [None]):
            lwhere = f"{where}.levels[{j}]"
            number = need(level, "number", int, lwhere)
            need(level, "description", str, lwhere)
            if number is not None and numbers and number not in numbers:
                problems.append(
                    _("%(where)s.number: %(number)s is not on the scale")
                    % {"where": lwhere, "number": number}
                )
    if problems:
        raise FrameworkFileError(problems)


@transaction.atomic
def load_framework(data: dict[str, Any]) -> LoadResult:
    """Create or update the framework version described by a validated file.

    A published version is frozen: a file that would change it is refused
    and nothing is written.
    """
    counts: Counter[str] = Counter()
    was_published = Framework.objects.filter(
        uuid=uuid_module.UUID(data["uuid"]),
        version=data["version"],
        status=Framework.Status.PUBLISHED,
    ).exists()
    scale, scale_state = _upsert(
        Scale,
        {"uuid": uuid_module.UUID(data["scale"]["uuid"])},
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
            "status": data["status"],
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
