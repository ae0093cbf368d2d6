"""The scheduling engine: reads a matching-problem/1, writes a matching-timetable/1 (pure Python, CP-SAT)."""

from .check import CheckReport, check
from .problem import Party, Problem, ProblemError, Request, Rules, Slot
from .solve import SolveOptions, solve
from .timetable import Conflict, Meeting, Timetable, Unscheduled

__all__ = [
    "CheckReport",
    "Conflict",
    "Meeting",
    "Party",
    "Problem",
    "ProblemError",
    "Request",
    "Rules",
    "Slot",
    "SolveOptions",
    "Timetable",
    "Unscheduled",
    "check",
    "solve",
]
