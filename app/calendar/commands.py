"""`flask calendar ...`: write every feed of a published event as files."""

from flask.cli import AppGroup

calendar_cli = AppGroup("calendar", help="Calendar feeds and files.")
