"""The domain model, one aggregate per module; importing this package registers every table."""

from app.models.booth import Booth, booth_days
from app.models.event import BreakKind, Event, EventBreak, EventDay, EventStatus, Slot
from app.models.meeting import Meeting, MeetingSeat, MeetingStatus
from app.models.meeting_request import SCHEDULABLE_STATUSES, MeetingRequest, RequestStatus
from app.models.organization import Organization, OrganizationKind, Representative, Sector
from app.models.programme import ProgrammeSession, SessionKind, SessionPerson, SessionRole
from app.models.registration import Registration
from app.models.solve_run import SolveRun, SolveStatus
from app.models.timetable import TimetableEntry, TimetableVersion, VersionStatus
from app.models.types import utcnow
from app.models.user import Role, User

__all__ = [
    "SCHEDULABLE_STATUSES",
    "Booth",
    "BreakKind",
    "Event",
    "EventBreak",
    "EventDay",
    "EventStatus",
    "Meeting",
    "MeetingRequest",
    "MeetingSeat",
    "MeetingStatus",
    "Organization",
    "OrganizationKind",
    "ProgrammeSession",
    "Registration",
    "Representative",
    "RequestStatus",
    "Role",
    "Sector",
    "SessionKind",
    "SessionPerson",
    "SessionRole",
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
