"""The dashboards' cycle and peer-filter form: a GET form, so every view is a shareable link."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import SelectChoice, SelectField, StringField
from wtforms.validators import Length

from ..models import CollaborationType, Cycle
from ..scoring import PeerFilter
from ..scoring.similarity import RECOMMENDED_PEERS
from .figures import NO_ASSESSMENT, STATUS_ORDER
from .listing import NAME_MAX, Listing

ANY = ""
RECOMMENDED = "recommended"


def _choices(values: Iterable[str], label: str = "Any") -> list[tuple[str, str]]:
    return [(ANY, label), *((v, v) for v in sorted(set(values)))]


class PeerFilterForm(FlaskForm):
    """Which cycle to show and which peers to compare with. Bad values give a form error."""

    class Meta:
        csrf = False  # a GET form that changes nothing

    cycle = SelectField("Cycle", validate_choice=True)
    peers = SelectField("Compare with", validate_choice=True)
    collaboration_type = SelectField("Collaboration type", validate_choice=True)
    region = SelectField("Region", validate_choice=True)
    trust_type = SelectField("Trust type", validate_choice=True)

    @classmethod
    def build(
        cls,
        args: MultiDict[str, str],
        cycles: Sequence[Cycle],
        default_cycle: Cycle | None,
        regions: Iterable[str],
        trust_types: Iterable[str],
        *,
        recommended: bool = False,
    ) -> PeerFilterForm:
        """A form over the alliance's own cycles and its members' regions and trust types;
        ``recommended`` offers the member's most similar members as one more choice."""
        data = MultiDict(args)
        if default_cycle is not None and not data.get("cycle"):
            data["cycle"] = str(default_cycle.id)
        form = cls(formdata=data)
        form.cycle.choices = [(str(c.id), c.name) for c in reversed(cycles)]
        form.collaboration_type.choices = [(ANY, "Any")] + [
            (t.value, t.label) for t in CollaborationType
        ]
        form.region.choices = _choices(regions)
        form.trust_type.choices = _choices(trust_types)
        form.peers.choices = [(ANY, "Members matching the filters")]
        if recommended:
            form.peers.choices.append(
                (RECOMMENDED, f"Recommended peers ({RECOMMENDED_PEERS} most similar members)")
            )
        for field in (form.peers, form.collaboration_type, form.region, form.trust_type):
            if field.data is None:
                field.data = ANY
        return form

    def check(self) -> None:
        """Validate, replacing WTForms' generic message with what happens instead."""
        self.validate()
        fallbacks = {
            "cycle": "the latest cycle with results is shown instead",
            "peers": "members matching the filters are compared",
            "collaboration_type": "every collaboration type is compared",
            "region": "every region is compared",
            "trust_type": "every trust type is compared",
        }
        for name, fallback in fallbacks.items():
            field = self[name]
            if field.errors:
                field.errors = [f"Choose a {field.label.text.lower()} from the list; {fallback}"]

    def chosen_cycle(self, cycles: Sequence[Cycle], default: Cycle | None) -> Cycle | None:
        """The cycle asked for, or the default when the value is not one of the choices."""
        if not self.cycle.errors:
            for cycle in cycles:
                if str(cycle.id) == self.cycle.data:
                    return cycle
        return default

    @property
    def offers_recommended(self) -> bool:
        """True when recommended peers are one of the choices (a member's dashboard)."""
        return len(self.peers.choices or []) > 1

    def peer_filter(self) -> PeerFilter:
        """The narrowing asked for; a field with an unknown value counts as "any".

        Recommended peers replace the filters (they are not combined with them).
        """
        if not self.peers.errors and self.peers.data == RECOMMENDED:
            return PeerFilter(recommended=True)

        def value(field: SelectField) -> str | None:
            return None if field.errors or not field.data else str(field.data)

        return PeerFilter(
            collaboration_type=value(self.collaboration_type),
            region=value(self.region),
            trust_type=value(self.trust_type),
        )

    @property
    def is_filtered(self) -> bool:
        """True when any peer filter is in force."""
        return self.peer_filter() != PeerFilter()


class AllianceFilterForm(PeerFilterForm):
    """The coordinator's dashboard form: the peer filter, and which members to list."""

    status = SelectField("Status", validate_choice=True)
    name = StringField("Member name or code", validators=[Length(max=NAME_MAX)])

    @classmethod
    def build_listing(
        cls,
        args: MultiDict[str, str],
        cycles: Sequence[Cycle],
        default_cycle: Cycle | None,
        regions: Iterable[str],
        trust_types: Iterable[str],
    ) -> AllianceFilterForm:
        form = cls.build(args, cycles, default_cycle, regions, trust_types)
        if not isinstance(form, AllianceFilterForm):  # build returns cls(); for mypy
            raise TypeError("AllianceFilterForm.build made another form")
        form.status.choices = [SelectChoice(ANY, "Any")] + [
            SelectChoice(s, s) for s in (*STATUS_ORDER, NO_ASSESSMENT)
        ]
        if form.status.data is None:
            form.status.data = ANY
        return form

    def check(self) -> None:
        super().check()
        if self.status.errors:
            self.status.errors = ["Choose a status from the list; every status is listed"]
        if self.name.errors:
            self.name.errors = [
                f"Enter at most {NAME_MAX} characters of a member's name or code; "
                "every member is listed"
            ]

    def listing(self, page: int) -> Listing:
        """The status and name asked for (ignored when not valid) and the page."""
        status = None if self.status.errors or not self.status.data else str(self.status.data)
        name = "" if self.name.errors else str(self.name.data or "")
        return Listing(status=status, name=name, page=page)


class TargetsForm(FlaskForm):
    """The own-targets form: its fields are made per standard (``own_targets.parse_targets``);
    the class carries the CSRF token."""
