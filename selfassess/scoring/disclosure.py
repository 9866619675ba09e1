"""Which filtered peer groups may be shown, so that no combination of views isolates a member.

A trust in an anonymous alliance sees statistics of "the other members", narrowed by filters
(collaboration type, region, trust type). Each group on its own may be large enough, yet two
groups that differ by one member give that member's figures by difference, and three can do it
together ("all" minus "North" minus "South" leaves the one Midlands member). The sound rule is
about the whole *family* of groups shown, not about one group at a time:

- Take the members with a value (the *holders*) and the groups published so far. They cut the
  holders into **atoms**: the cells of the Venn diagram, members who are in exactly the same
  published groups. Any set built from published groups by union, intersection or difference is
  a union of atoms, so whatever an attacker combines covers whole atoms.
- A group is published only if, with it, every non-empty atom still holds at least
  ``MIN_PEERS + 1`` members. Whoever is looking (perhaps one of them, and a member never counts
  among its own peers) still finds at least ``MIN_PEERS`` others in every atom. The family is the
  same for every viewer, so two members pooling what they saw still leave at least
  ``MIN_PEERS - 1`` (two) others in each atom: never one.
- Groups are tried in one fixed order (``candidate_filters``): no filter first, then one field
  narrowed, then two, then three; within each, collaboration type before region before trust
  type, values in their listed order. A group that would make an atom too small is withheld, with
  a reason the page shows. The same inputs always give the same decisions, whichever page asks.
- Decisions depend only on who holds a value and on the filters, never on the values.

Member sets are Python integers used as bit sets, so a 500-member alliance with a few hundred
filter combinations is decided in milliseconds.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations, product

from selfassess.scoring.peers import MIN_PEERS, PeerFilter, PeerMember

#: The fewest members with a value that a published group, or any cell of the family, may hold.
MIN_CELL = MIN_PEERS + 1

TOO_FEW = (
    "fewer than {cell} members in this group have results, so its figures are hidden: "
    "any one of them looking would see fewer than {peers} others"
)
COMPARABLE = (
    "this group's figures are hidden so that they cannot be compared with other views "
    "to reveal one member's scores"
)


@dataclass(frozen=True)
class Withheld:
    """A group whose figures are not shown, with the reason to show instead."""

    reason: str


def candidate_filters(
    collaboration_types: Sequence[str], regions: Sequence[str], trust_types: Sequence[str]
) -> list[PeerFilter]:
    """Every filter the dashboards offer, in the order groups are decided.

    No filter; then each single field (collaboration type, region, trust type, values in the
    given order); then each pair of fields; then all three. Coarse groups come first, so the
    views most people want are the ones kept.
    """
    fields = (list(collaboration_types), list(regions), list(trust_types))
    filters: list[PeerFilter] = []
    for narrowed in range(4):
        for chosen in combinations(range(3), narrowed):
            for values in product(*(fields[i] for i in chosen)):
                choice: list[str | None] = [None, None, None]
                for i, value in zip(chosen, values, strict=True):
                    choice[i] = value
                filters.append(
                    PeerFilter(collaboration_type=choice[0], region=choice[1], trust_type=choice[2])
                )
    return filters


class DisclosurePlan:
    """The decisions for one set of holders: which filters' groups may be published.

    Decisions are made lazily in ``candidate_filters`` order, up to the filter asked about: a
    decision depends only on the filters before it, so stopping early changes nothing.
    """

    def __init__(
        self,
        members: Sequence[PeerMember],
        holders: Collection[str],
        filters: Sequence[PeerFilter],
        groups: Sequence[Collection[str]] = (),
    ) -> None:
        held = set(holders)
        self._members = [m for m in members if m.id in held]
        self._bits = {m.id: 1 << bit for bit, m in enumerate(self._members)}
        self._groups = list(groups)  # decided after every filter, in this order
        self._next_group = 0
        self._all = (1 << len(self._members)) - 1
        self._by_field: tuple[dict[str, int], ...] | None = None  # built when first needed
        self._filters = list(filters)
        self._decided: dict[PeerFilter, Withheld | None] = {}
        self._by_set: dict[int, Withheld | None] = {}
        self._atoms: list[int] = []
        self._covered = 0
        self._next = 0

    def _mask(self, peer_filter: PeerFilter) -> int:
        """The filter's group as a bit set: the AND of its fields' sets (one per value)."""
        wanted = _fields(peer_filter)
        if all(value is None for value in wanted):
            return self._all
        if self._by_field is None:
            self._by_field = ({}, {}, {})
            for bit, member in enumerate(self._members):
                for by_value, value in zip(self._by_field, _fields(member), strict=True):
                    if value is not None:
                        by_value[value] = by_value.get(value, 0) | 1 << bit
        mask = self._all
        for by_value, value in zip(self._by_field, wanted, strict=True):
            if value is not None:
                mask &= by_value.get(value, 0)
        return mask

    def _decide(self, group: int) -> Withheld | None:
        if group in self._by_set:  # the same members as an earlier filter: the same answer
            return self._by_set[group]
        if group.bit_count() < MIN_CELL:
            return Withheld(TOO_FEW.format(cell=MIN_CELL, peers=MIN_PEERS))
        pieces = [piece for atom in self._atoms for piece in (atom & group, atom & ~group)]
        pieces.append(group & ~self._covered)
        if any(0 < piece.bit_count() < MIN_CELL for piece in pieces):
            return Withheld(COMPARABLE)
        self._atoms = [piece for piece in pieces if piece]
        self._covered |= group
        return None

    def decision(self, peer_filter: PeerFilter) -> Withheld | None:
        """None when the filter's group may be published; otherwise why it is withheld.

        A filter that is not a candidate (a value no form offers) is always withheld.
        """
        while peer_filter not in self._decided and self._next < len(self._filters):
            candidate = self._filters[self._next]
            self._next += 1
            group = self._mask(candidate)
            decided = self._decide(group)
            self._by_set[group] = decided
            self._decided[candidate] = decided
        return self._decided.get(peer_filter, Withheld(COMPARABLE))

    def _group_mask(self, ids: Collection[str]) -> int:
        mask = 0
        for member_id in ids:
            mask |= self._bits.get(member_id, 0)
        return mask

    def group_decision(self, ids: Collection[str]) -> Withheld | None:
        """None when a group given by member ids (a recommended peer set with its member) may be
        published; otherwise why not. Members without a value are left out of it.

        Such groups are decided after every filter, in the order given to the plan, as part of
        the one family: a group that is not among them is always withheld.
        """
        while self._next < len(self._filters):
            self.decision(self._filters[-1])
        wanted = self._group_mask(ids)
        while wanted not in self._by_set and self._next_group < len(self._groups):
            group = self._group_mask(self._groups[self._next_group])
            self._next_group += 1
            if group not in self._by_set:
                self._by_set[group] = self._decide(group)
        return self._by_set.get(wanted, Withheld(COMPARABLE))

    def published(self) -> list[PeerFilter]:
        """Every candidate filter whose group may be published, in decision order."""
        return [f for f in self._filters if self.decision(f) is None]


def _fields(item: PeerMember | PeerFilter) -> tuple[str | None, str | None, str | None]:
    return (item.collaboration_type, item.region, item.trust_type)


def atoms(groups: Iterable[Collection[str]]) -> list[frozenset[str]]:
    """The cells of the Venn diagram of some member sets (members in exactly the same sets).

    What an attacker can isolate by combining the groups; used by tests and explanations.
    """
    cells: dict[tuple[bool, ...], set[str]] = {}
    sets = [frozenset(g) for g in groups]
    for member in set().union(*sets) if sets else set():
        cells.setdefault(tuple(member in s for s in sets), set()).add(member)
    return [frozenset(cell) for cell in cells.values()]
