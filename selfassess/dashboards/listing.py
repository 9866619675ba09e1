"""Which members the coordinator's dashboard lists: a status and name filter, and pages.

A 500-member alliance cannot be read as one table of 500 rows and one heatmap of 15,000 cells:
the member table and the heatmap show one page of members (``PAGE_SIZE``), while the figures
about the whole alliance (status counts, domain statistics, every standard's results) stay
aggregated over every member the peer filter keeps. Nothing is dropped: every member is on some
page, and the status and name filter find one quickly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from .figures import StatusRow

#: Members per page of the member table and the heatmap.
PAGE_SIZE = 50
#: How many page links the pager shows either side of the current page (then an ellipsis).
AROUND = 2
NAME_MAX = 100

T = TypeVar("T")


@dataclass(frozen=True)
class Listing:
    """What the coordinator asked to list: a status (None: any), part of a name or code, and
    a page number (1 is the first; clamped to the pages there are)."""

    status: str | None = None
    name: str = ""
    page: int = 1

    def keeps(self, row: StatusRow) -> bool:
        if self.status is not None and row.status != self.status:
            return False
        wanted = self.name.strip().casefold()
        return (
            not wanted
            or wanted in row.member.name.casefold()
            or wanted in row.member.code.casefold()
        )

    @property
    def filtered(self) -> bool:
        return self.status is not None or bool(self.name.strip())


@dataclass(frozen=True)
class Page:
    """One page of a list: its number, how many pages and items there are in all."""

    number: int
    pages: int
    total: int
    size: int = PAGE_SIZE

    @property
    def first(self) -> int:
        """The position (from 1) of the page's first item; 0 when the list is empty."""
        return (self.number - 1) * self.size + 1 if self.total else 0

    @property
    def last(self) -> int:
        return min(self.number * self.size, self.total)

    @property
    def links(self) -> list[int | None]:
        """Page numbers to link, None where an ellipsis stands for the pages left out."""
        keep = {1, self.pages, *range(self.number - AROUND, self.number + AROUND + 1)}
        shown = sorted(n for n in keep if 1 <= n <= self.pages)
        links: list[int | None] = []
        for n in shown:
            if links and n - (links[-1] or 0) > 1:
                links.append(None)
            links.append(n)
        return links

    def slice(self, items: Sequence[T]) -> list[T]:
        return list(items[(self.number - 1) * self.size : self.number * self.size])


def paginate(total: int, asked: int, size: int = PAGE_SIZE) -> Page:
    """The page ``asked`` for, clamped between the first and the last page there is."""
    pages = max(1, -(-total // size))
    return Page(number=min(max(asked, 1), pages), pages=pages, total=total, size=size)


def page_number(raw: str | None) -> tuple[int, str | None]:
    """The page asked for in a URL, and a message when it is not a page number (page 1 then)."""
    if raw is None or raw == "":
        return 1, None
    text = raw.strip()
    if text.isdigit() and len(text) <= 6:
        return max(int(text), 1), None
    return 1, "Page must be a whole number; the first page is shown instead"
