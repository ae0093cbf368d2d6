"""What came of a meeting held at a booth: interest, follow-up, MoU and the volumes talked about."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, Float, ForeignKey, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.enums import string_enum
from app.models.meeting import Meeting
from app.models.types import UTCDateTime, utcnow
from app.models.user import User

# Most LPG cylinders (3 kg) one cooperative may take a month, as set for the KDKMP programme.
LPG_CYLINDERS_MONTHLY_LIMIT = 200


class Interest(enum.StrEnum):
    """How interested the two sides were."""

    NONE = "none"
    LOW = "low"
    HIGH = "high"


class MeetingOutcome(db.Model):
    """The booth's record of one meeting's result; one per meeting, corrected in place."""

    __tablename__ = "meeting_outcomes"
    __table_args__ = (
        CheckConstraint(f"lpg_cylinders_month BETWEEN 0 AND {LPG_CYLINDERS_MONTHLY_LIMIT}", name="lpg_limit"),
        CheckConstraint("rice_tonnes_month >= 0", name="rice_positive"),
        CheckConstraint("cooking_oil_litres_month >= 0", name="oil_positive"),
        CheckConstraint("fertiliser_tonnes >= 0", name="fertiliser_positive"),
        CheckConstraint("financing_rupiah >= 0", name="financing_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), unique=True)
    interest: Mapped[Interest] = mapped_column(string_enum(Interest), default=Interest.NONE)
    follow_up: Mapped[bool] = mapped_column(default=False)
    mou_signed: Mapped[bool] = mapped_column(default=False)
    # Volumes the cooperative would take: tonnes as decimals (2.5), litres and 3 kg cylinders as whole numbers.
    rice_tonnes_month: Mapped[float | None] = mapped_column(Float)
    cooking_oil_litres_month: Mapped[int | None] = mapped_column(Integer)
    lpg_cylinders_month: Mapped[int | None] = mapped_column(Integer)
    fertiliser_tonnes: Mapped[float | None] = mapped_column(Float)
    financing_rupiah: Mapped[int | None] = mapped_column(BigInteger)
    notes: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    meeting: Mapped[Meeting] = relationship()
    recorded_by: Mapped[User | None] = relationship()
