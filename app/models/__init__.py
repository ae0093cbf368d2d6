"""The domain model, one aggregate per module; importing this package registers every table."""

from app.models.access_link import AccessLink
from app.models.audit import AuditEntry
from app.models.booth import Booth, booth_days
from app.models.calendar_feed import CalendarFeed, FeedKind
from app.models.event import BreakKind, Event, EventBreak, EventDay, EventStatus, Slot
from app.models.invitation import Invitation
from app.models.meeting import Meeting, MeetingSeat, MeetingStatus
from app.models.meeting_request import SCHEDULABLE_STATUSES, MeetingRequest, RequestStatus
from app.models.organization import Organization, OrganizationKind, Representative, Sector
from app.models.outcome import LPG_CYLINDERS_MONTHLY_LIMIT, Interest, MeetingOutcome
from app.models.programme import (
    ProgrammeSession,
    SessionKind,
    SessionPerson,
    SessionRole,
    SessionSignup,
    SignupStatus,
)
from app.models.registration import Registration
from app.models.room import Room
from app.models.solve_run import SolveRun, SolveStatus
from app.models.timetable import TimetableEntry, TimetableVersion, VersionStatus
from app.models.types import utcnow
from app.models.user import Role, User

__all__ = [
    "LPG_CYLINDERS_MONTHLY_LIMIT",
    "SCHEDULABLE_STATUSES",
    "AccessLink",
    "AuditEntry",
    "Booth",
    "BreakKind",
    "CalendarFeed",
    "Event",
    "EventBreak",
    "EventDay",
    "EventStatus",
    "FeedKind",
    "Interest",
    "Invitation",
    "Meeting",
    "MeetingOutcome",
    "MeetingRequest",
    "MeetingSeat",
    "MeetingStatus",
    "Organization",
    "OrganizationKind",
    "ProgrammeSession",
    "Registration",
    "Representative",
    "Room",
    "RequestStatus",
    "Role",
    "Sector",
    "SessionKind",
    "SessionPerson",
    "SessionRole",
    "SessionSignup",
    "SignupStatus",
    "Slot",
    "SolveRun",
    "SolveStatus",
    "TimetableEntry",
    "TimetableVersion",
    "User",
    "VersionStatus",
    "booth_days",
    "utcnow",
]
