"""Which standards of the previous framework version each standard continues (for trends).

A 2.0 standard names its 1.0 predecessors in `continues:`; the checker proves they exist. Trends
and "change since the last cycle" follow this map when a member's cycles cross a version, and say
so: a continued standard may have a new target, new criteria or a different scoring rule.
"""

from collections.abc import Mapping

from selfassess.questionbank.documents import FrameworkDocument


def predecessors(framework: FrameworkDocument, standard_id: str) -> tuple[str, ...]:
    """Return the previous version's standard ids that `standard_id` continues (() if new).

    KeyError if the framework has no such standard.
    """
    return lineage(framework)[standard_id]


def lineage(framework: FrameworkDocument) -> Mapping[str, tuple[str, ...]]:
    """Map every standard of the framework to the previous version's standards it continues."""
    return {standard.id: tuple(standard.continues or ()) for _, standard in framework.standards()}


def successors(framework: FrameworkDocument, previous_id: str) -> tuple[str, ...]:
    """Return the standards of `framework` that continue the previous version's `previous_id`."""
    return tuple(new for new, old in lineage(framework).items() if previous_id in old)
