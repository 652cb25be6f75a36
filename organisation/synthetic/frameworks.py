"""Five extra published frameworks, so that a person has 30 competences.

They are written as framework files and loaded the way any framework is
(`catalogue.loading`). Their UUIDs are fixed, so generating again loads
the same versions, and clearing generated data can find them.
"""

from __future__ import annotations

import uuid
from typing import Any

from catalogue.loading import FORMAT

NAMESPACE = uuid.UUID("6f1d2b8e-0c4b-4d8a-9a51-3f0c2e7d5b11")
SCALE_NAME = "Generert nivåskala"
LEVELS = (
    ("Grunnleggende", "Kjenner området og løser oppgaver med veiledning."),
    ("Selvstendig", "Mestrer området og bruker det aktivt i eget arbeid."),
    ("Veileder", "Hjelper og lærer opp andre, og forbedrer praksis."),
    ("Ekspert", "Ligger i forkant og utvikler fagfeltet."),
)
FRAMEWORKS = {
    "Digital kompetanse": (
        "Digital samhandling",
        "Informasjonssikkerhet",
        "Databruk og analyse",
        "Digitale verktøy",
        "Tjenestedesign",
    ),
    "Ledelse og samarbeid": (
        "Relasjonsledelse",
        "Mål- og resultatstyring",
        "Økonomistyring",
        "Konflikthåndtering",
        "Arbeidsmiljø",
    ),
    "Kommunikasjon og brukermøter": (
        "Klarspråk",
        "Brukermedvirkning",
        "Flerkulturell kommunikasjon",
        "Veiledning",
        "Formidling",
    ),
    "Forvaltning og juss": (
        "Forvaltningsrett",
        "Offentlighet og innsyn",
        "Personvern",
        "Offentlige anskaffelser",
        "Arkiv og dokumentasjon",
    ),
    "Bærekraft og samfunnsansvar": (
        "Klima og miljø",
        "Beredskap",
        "Helse, miljø og sikkerhet",
        "Etikk og antikorrupsjon",
        "Likestilling og mangfold",
    ),
}
INDICATORS = (
    "Kjenner regelverk, mål og begreper i {name}.",
    "Bruker {name} i eget arbeid og i samarbeid med andre.",
    "Deler erfaring med {name} og bidrar til bedre praksis.",
)


def stable_uuid(*parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(parts)))


def generated_uuids() -> list[uuid.UUID]:
    """The UUIDs of the generated frameworks."""
    return [uuid.UUID(stable_uuid(name)) for name in FRAMEWORKS]


def documents() -> list[dict[str, Any]]:
    """The generated frameworks as framework files (FORMAT)."""
    scale = {
        "uuid": stable_uuid("scale"),
        "name": SCALE_NAME,
        "levels": [
            {"number": number, "name": name, "description": description}
            for number, (name, description) in enumerate(LEVELS, start=1)
        ],
    }
    return [
        {
            "format": FORMAT,
            "uuid": stable_uuid(framework),
            "version": 1,
            "status": "published",
            "language": "nb",
            "name": framework,
            "description": f"Generert rammeverk for utvikling og ytelsestester: "
            f"{framework.lower()}.",
            "scale": scale,
            "competences": [
                {
                    "uuid": stable_uuid(framework, competence),
                    "name": competence,
                    "indicators": [
                        {
                            "uuid": stable_uuid(framework, competence, str(i)),
                            "text": text.format(name=competence.lower()),
                        }
                        for i, text in enumerate(INDICATORS)
                    ],
                }
                for competence in competences
            ],
        }
        for framework, competences in FRAMEWORKS.items()
    ]
