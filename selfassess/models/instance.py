"""Facts about the instance as a whole, kept in the database so every app server agrees."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import Model
from ._types import UTCDateTime, utcnow


class InstanceSetting(Model):
    """One named fact about the instance, e.g. that it holds the demonstration data.

    A row rather than configuration: `flask demo load` sets it in the same transaction as the
    data it describes, so it survives restarts and holds for every stateless app server.
    """

    __tablename__ = "instance_setting"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
