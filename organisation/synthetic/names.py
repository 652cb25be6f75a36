"""Names, titles and unit names for the synthetic municipality.

Every name is made up from common Norwegian parts; the lists carry æ, ø
and å on purpose, so that imports, exports and e-mail addresses meet
them.
"""

from __future__ import annotations

import random
import unicodedata


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


def _items(text: str) -> tuple[str, ...]:
    """Comma-separated items, for names that hold spaces."""
    return tuple(item.strip() for item in text.split(",") if item.strip())


FIRST_NAMES = _words(
    """
    Anne Kari Marit Ingrid Liv Eva Berit Astrid Bjørg Hilde Anna Solveig
    Marianne Randi Ida Nina Maria Elisabeth Kristin Silje Sølvi Åse Æsa Siri
    Marte Tone Gro Turid Ragnhild Synnøve Øydis Ingeborg Hege Fatima Amina
    Zainab Agnieszka Linh Sara Nora Emma Jan Per Bjørn Ole Lars Kjell Knut
    Arne Svein Hans Geir Thomas Tor Morten Terje Odd Erik Håkon Jørgen
    Øystein Ståle Pål Åsmund Jonas Sindre Magnus Henrik Even Eirik Trond Rune
    Mohammed Ali Ahmed Piotr Tomasz Nguyen Omar Yusuf Filip Jakob
    """
)
# Hyphenated first names, as Norwegians write them.
DOUBLE_FIRST_NAMES = _words(
    """
    Tor-Erik Anne-Lise Per-Olav Karl-Johan Mari-Ann Eva-Marie Stein-Åge
    Bjørn-Erik Ann-Kristin Jon-Øyvind Lise-Lotte
    """
)
SURNAMES = _words(
    """
    Hansen Johansen Olsen Larsen Andersen Pedersen Nilsen Kristiansen Jensen
    Karlsen Johnsen Pettersen Eriksen Berg Haugen Hagen Johannessen
    Andreassen Jacobsen Dahl Jørgensen Halvorsen Henriksen Lund Sørensen Moen
    Gundersen Iversen Strand Solberg Svendsen Eide Knutsen Martinsen Paulsen
    Bakken Kristoffersen Mathisen Lie Amundsen Rasmussen Lunde Solheim Berge
    Moe Nygård Bakke Fredriksen Holm Lien Hauge Sæther Aas Myhre Ødegård
    Østby Brekke Tangen Hoel Thorsen Tveit Vik Ruud Næss Rønning Bråten
    Grønli Strøm Løken Kvamme Bjørnstad Haaland Våge Åsheim Sandvik Fjeld
    Dalen Ali Ahmed Khan Hussain Nguyen Tran Kowalski Nowak
    """
)
MUNICIPALITY = "Fjordvik kommune"
EMAIL_DOMAIN = "example.org"

# Agencies at the second level: (name, relative size, the work they do).
AGENCIES = (
    ("Utdanningsetaten", 30.0, "school"),
    ("Sykehjemsetaten", 10.0, "care"),
    ("Helseetaten", 4.0, "health"),
    ("Velferdsetaten", 3.0, "office"),
    ("Barne- og familieetaten", 3.0, "care"),
    ("Bymiljøetaten", 2.5, "technical"),
    ("Vann- og avløpsetaten", 1.5, "technical"),
    ("Plan- og bygningsetaten", 1.5, "office"),
    ("Kulturetaten", 1.0, "office"),
    ("Brann- og redningsetaten", 2.0, "technical"),
    ("Eiendoms- og byfornyelsesetaten", 1.0, "office"),
    ("Byrådsavdeling for finans", 0.4, "office"),
    ("Byrådsavdeling for oppvekst og kunnskap", 0.4, "office"),
    ("Bydel Nordre Fjell", 3.2, "care"),
    ("Bydel Sjøsiden", 3.6, "care"),
    ("Bydel Østre Li", 3.0, "care"),
    ("Bydel Sørmarka", 3.4, "care"),
    ("Bydel Vestre Å", 2.8, "care"),
    ("Bydel Sentrum", 3.1, "care"),
    ("Bydel Bjørkedalen", 2.9, "care"),
    ("Bydel Ørnes", 2.6, "care"),
    ("Bydel Grønlia", 3.3, "care"),
    ("Bydel Ulvåsen", 2.7, "care"),
)
PLACE_STARTS = _words(
    """
    Bjørke Sol Fjell Elve Skog Lille Store Nord Sør Øvre Nedre Rød Grønn Hvit
    Stein Eike Furu Bekke Sjø Ås Mo Lyng Kirke Fossen Hauke Ørne Tårn
    """
)
PLACE_ENDS = _words(
    """
    li vik dal haug bakken sletta åsen berg strand gård tun heim myra løkka
    jordet skogen lia høgda
    """
)
TOPICS = _items(
    """
    økonomi, personal, digitalisering, innovasjon, kvalitet, drift,
    forvaltning, analyse, kommunikasjon, juridiske tjenester, anskaffelser,
    eiendom, tjenesteutvikling, brukerstøtte, arkiv, beredskap, helse,
    rehabilitering, psykisk helse, rus, barnevern, oppvekst, miljø,
    samferdsel, byggesak, plan
    """
)
# Where each kind of work happens at the lower levels.
WORKPLACES = {
    "school": _items("skole, barnehage, ressurssenter"),
    "care": _items(
        """
        sykehjem, hjemmetjeneste, helsestasjon, bofellesskap
        """
    ),
    "health": _items("legevakt, helsestasjon, smittevernkontor"),
    "technical": _items("driftsstasjon, verksted, brannstasjon"),
    "office": _items("kontor, servicesenter"),
}
EMPLOYEE_TITLES = {
    "school": _items(
        """
        Lærer, Lektor, Barnehagelærer, Fagarbeider,
        Barne- og ungdomsarbeider, Spesialpedagog, Assistent, Rådgiver,
        Miljøterapeut
        """
    ),
    "care": _items(
        """
        Sykepleier, Helsefagarbeider, Vernepleier, Miljøterapeut, Assistent,
        Sosionom, Fysioterapeut, Ergoterapeut, Konsulent
        """
    ),
    "health": _items(
        """
        Lege, Sykepleier, Helsesykepleier, Rådgiver, Seniorrådgiver,
        Konsulent
        """
    ),
    "technical": _items(
        """
        Ingeniør, Driftstekniker, Fagarbeider, Brannkonstabel, Maskinfører,
        Overingeniør, Konsulent
        """
    ),
    "office": _items(
        """
        Rådgiver, Seniorrådgiver, Spesialrådgiver, Konsulent,
        Førstekonsulent, Saksbehandler, Spesialkonsulent, Jurist, Controller,
        Arkivar
        """
    ),
}
# The title of a unit's leader, by the unit's depth in the tree.
LEADER_TITLES = {
    1: "Kommunedirektør",
    2: "Etatsdirektør",
    3: "Avdelingsdirektør",
    4: "Seksjonssjef",
    5: "Enhetsleder",
    6: "Avdelingsleder",
    7: "Teamleder",
}

_ASCII = str.maketrans({"æ": "ae", "ø": "o", "å": "aa", "Æ": "Ae", "Ø": "O", "Å": "Aa"})


def ascii_name(text: str) -> str:
    """Lower-case ASCII for e-mail addresses: æ → ae, ø → o, å → aa, other
    accents dropped, spaces as hyphens."""
    folded = unicodedata.normalize("NFKD", text.translate(_ASCII))
    plain = "".join(ch for ch in folded if ch.isascii())
    return "-".join(plain.lower().split())


def person_name(rng: random.Random) -> tuple[str, str]:
    """A (first name, surname) pair; a few of each are hyphenated."""
    if rng.random() < 0.05:
        first = rng.choice(DOUBLE_FIRST_NAMES)
    else:
        first = rng.choice(FIRST_NAMES)
    last = rng.choice(SURNAMES)
    if rng.random() < 0.07:
        other = rng.choice(SURNAMES)
        if other != last:
            last = f"{last}-{other}"
    return first, last


def place_name(rng: random.Random) -> str:
    return rng.choice(PLACE_STARTS) + rng.choice(PLACE_ENDS)
