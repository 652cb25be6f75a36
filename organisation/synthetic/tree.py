"""The shape of the synthetic municipality, built in memory from a seed.

The municipality splits into agencies, departments, sections, units,
teams and sub-teams, seven levels at most. Each split keeps a leader's
direct reports (the other people in the units they lead, and the leaders
of the units just below who sit elsewhere) at 40 or fewer. Every unit
has a leader; most sit in the unit they lead, some in its parent unit,
and a few lead two neighbouring units.
"""

from __future__ import annotations

import math
import random
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field

from organisation.synthetic import names

MAX_DEPTH = 7
MAX_REPORTS = 40
# A unit with this many people or fewer may be a leaf; the cap itself is
# drawn per unit so that teams come in every size from 1 to 40 reports.
LEAF_CAP_RANGE = (4, MAX_REPORTS + 1)
# The leaf size the splitting aims at, which puts the unit count of a
# 52,000-person municipality in the 3,000 to 9,000 range of DESIGN.md §7.
TYPICAL_LEAF = 12
MAX_CHILDREN = 12
SHARED_LEADER_SHARE = 0.03
LEADER_IN_PARENT_SHARE = 0.12


@dataclass(eq=False)
class Unit:
    index: int
    code: str
    name: str
    depth: int
    domain: str
    parent: Unit | None = None
    children: list[Unit] = field(default_factory=list)
    size: int = 0  # people in the unit itself, not below it
    members: list[Employee] = field(default_factory=list)
    leader: Employee | None = None
    # Whether this unit's leader sits in the parent unit.
    leader_in_parent: bool = False


@dataclass(eq=False)
class Employee:
    index: int
    employee_number: str
    first_name: str
    last_name: str
    email: str
    title: str
    unit: Unit
    leads: list[Unit] = field(default_factory=list)

    @property
    def username(self) -> str:
        return self.email.split("@")[0]


@dataclass
class Municipality:
    seed: int
    units: list[Unit]  # parents before children
    people: list[Employee]  # grouped by unit, in unit order

    @property
    def root(self) -> Unit:
        return self.units[0]

    def leader_of(self, person: Employee) -> Employee | None:
        """The person's own leader: the leader of their unit, or for a unit's
        leader the leader of the unit above the one they lead."""
        if person.leads:
            above = min(person.leads, key=lambda unit: unit.depth).parent
            return above.leader if above is not None else None
        return person.unit.leader

    def direct_reports(self, leader: Employee) -> set[int]:
        """Indexes of the people who report straight to this leader."""
        reports: set[int] = set()
        for unit in leader.leads:
            reports.update(p.index for p in unit.members)
            for child in unit.children:
                if child.leader is not None and child.leader not in unit.members:
                    reports.add(child.leader.index)
        reports.discard(leader.index)
        return reports


def build(people: int, seed: int) -> Municipality:
    """The municipality for this head count and seed; the same arguments
    always give the same municipality."""
    if people < 10:
        raise ValueError("A municipality needs at least 10 people.")
    rng = random.Random(seed)
    units = _build_units(people, rng)
    _seat_leaders(units, rng)
    staff = _build_people(units, rng)
    return Municipality(seed=seed, units=units, people=staff)


def walk(root: Unit) -> Iterator[Unit]:
    """The units breadth first: parents before children."""
    queue = deque([root])
    while queue:
        unit = queue.popleft()
        yield unit
        queue.extend(unit.children)


def _build_units(people: int, rng: random.Random) -> list[Unit]:
    root = Unit(index=0, code="K", name=names.MUNICIPALITY, depth=1, domain="office")
    root.size = min(8, max(1, people // 5000 + 2))
    count = max(3, min(len(names.AGENCIES), round(math.sqrt(people) / 10)))
    agencies = names.AGENCIES[:count]
    weights = [weight for _name, weight, _domain in agencies]
    sizes = split_sizes(people - root.size, weights, rng)
    for number, ((name, _weight, domain), size) in enumerate(
        zip(agencies, sizes, strict=True), start=1
    ):
        agency = Unit(index=0, code=f"E{number:02d}", name=name, depth=2, domain=domain)
        agency.parent = root
        root.children.append(agency)
        _split(agency, size, rng)
    units = list(walk(root))
    for index, unit in enumerate(units):
        unit.index = index
    return units


def _split(unit: Unit, people: int, rng: random.Random) -> None:
    """Give the unit and the units below it `people` people in all."""
    leaf_cap = rng.randint(*LEAF_CAP_RANGE)
    if unit.depth == MAX_DEPTH or people <= leaf_cap:
        unit.size = people
        return
    own = rng.randint(2, 6) if unit.depth == 2 else rng.randint(1, 3)
    own = min(own, people - 1)
    rest = people - own
    levels_below = MAX_DEPTH - unit.depth
    aim = max((rest / TYPICAL_LEAF) ** (1 / levels_below), rng.uniform(2, 5))
    count = round(aim)
    if levels_below == 1:
        # Children at the last level must be leaves of 41 or fewer.
        count = max(count, math.ceil(rest / (MAX_REPORTS + 1)))
    else:
        count = min(count, MAX_CHILDREN)
    count = max(1, min(count, rest, MAX_REPORTS - own + 1))
    cap = MAX_REPORTS + 1 if levels_below == 1 else None
    weights = [rng.uniform(0.4, 1.6) for _ in range(count)]
    unit.size = own
    for number, size in enumerate(split_sizes(rest, weights, rng, cap), start=1):
        child = Unit(
            index=0,
            code=f"{unit.code}-{number}",
            name=_unit_name(unit, number, rng),
            depth=unit.depth + 1,
            domain=unit.domain,
            parent=unit,
        )
        unit.children.append(child)
        _split(child, size, rng)


def split_sizes(
    total: int, weights: list[float], rng: random.Random, cap: int | None = None
) -> list[int]:
    """`total` split in proportion to the weights; every part at least 1
    and at most `cap`."""
    whole = sum(weights)
    sizes = [max(1, int(total * weight / whole)) for weight in weights]
    while sum(sizes) < total:
        sizes[rng.randrange(len(sizes))] += 1
    while sum(sizes) > total:
        largest = max(range(len(sizes)), key=sizes.__getitem__)
        sizes[largest] -= 1
    if cap is not None:
        for i in range(len(sizes)):
            while sizes[i] > cap:
                smallest = min(range(len(sizes)), key=sizes.__getitem__)
                if sizes[smallest] >= cap:
                    raise ValueError(f"{total} people do not fit in {len(sizes)}")
                sizes[i] -= 1
                sizes[smallest] += 1
    return sizes


def _unit_name(parent: Unit, number: int, rng: random.Random) -> str:
    depth = parent.depth + 1
    if depth == 3:
        return f"Avdeling for {rng.choice(names.TOPICS)}"
    if depth == 4:
        return f"Seksjon for {rng.choice(names.TOPICS)}"
    if depth == 5:
        workplace = rng.choice(names.WORKPLACES[parent.domain])
        return f"{names.place_name(rng)} {workplace}"
    if depth == 6:
        return f"Avdeling {names.place_name(rng)}"
    return f"Team {number}"


def _seat_leaders(units: list[Unit], rng: random.Random) -> None:
    """Decide where each unit's leader sits: most in their own unit, some in
    the parent unit (which then holds one more person), and a few leaves
    share a leader with a sibling leaf."""
    for unit in units[1:]:
        parent = unit.parent
        assert parent is not None
        if unit.size >= 2 and rng.random() < LEADER_IN_PARENT_SHARE:
            unit.leader_in_parent = True
            unit.size -= 1
            parent.size += 1


def _build_people(units: list[Unit], rng: random.Random) -> list[Employee]:
    total = sum(unit.size for unit in units)
    numbers = rng.sample(range(100000, 1000000), total)
    emails: dict[str, int] = {}
    people: list[Employee] = []

    def add(unit: Unit, title: str) -> Employee:
        first, last = names.person_name(rng)
        person = Employee(
            index=len(people),
            employee_number=str(numbers[len(people)]),
            first_name=first,
            last_name=last,
            email=_unique_email(first, last, emails),
            title=title,
            unit=unit,
        )
        people.append(person)
        unit.members.append(person)
        return person

    for unit in units:
        hosted = [child for child in unit.children if child.leader_in_parent]
        if not unit.leader_in_parent:
            unit.leader = add(unit, names.LEADER_TITLES[unit.depth])
        for child in hosted:
            child.leader = add(unit, names.LEADER_TITLES[child.depth])
        domain = unit.domain if unit.depth > 3 else "office"
        while len(unit.members) < unit.size:
            add(unit, rng.choice(names.EMPLOYEE_TITLES[domain]))
    for unit in units:
        assert unit.leader is not None
        unit.leader.leads.append(unit)
    _share_leaders(units, rng)
    return people


def _share_leaders(units: list[Unit], rng: random.Random) -> None:
    """Let a few leaders lead a small sibling leaf as well; that leaf's own
    leader carries on as an employee there."""
    for unit in units:
        leaves = [
            child
            for child in unit.children
            if not child.children and not child.leader_in_parent
        ]
        for first, second in zip(leaves[::2], leaves[1::2], strict=False):
            reports = len(first.members) - 1 + len(second.members)
            if reports > MAX_REPORTS or rng.random() >= SHARED_LEADER_SHARE:
                continue
            leader, former = first.leader, second.leader
            assert leader is not None and former is not None
            former.leads.remove(second)
            former.title = rng.choice(names.EMPLOYEE_TITLES[second.domain])
            second.leader = leader
            leader.leads.append(second)


def _unique_email(first: str, last: str, taken: dict[str, int]) -> str:
    local = f"{names.ascii_name(first)}.{names.ascii_name(last)}"
    seen = taken.get(local, 0) + 1
    taken[local] = seen
    suffix = str(seen) if seen > 1 else ""
    return f"{local}{suffix}@{names.EMAIL_DOMAIN}"
