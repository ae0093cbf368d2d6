"""Signals other areas listen to (calendar iTIP emails, notifications) without the timetable knowing them."""

from blinker import Namespace

_signals = Namespace()

# Sent after a timetable version is published and committed: sender is the Event, with `version` and `diff`.
timetable_published = _signals.signal("timetable-published")
