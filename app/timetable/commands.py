"""`flask schedule ...`: solve, publish and export from the command line."""

from flask.cli import AppGroup

schedule_cli = AppGroup("schedule", help="Solve, publish and export timetables.")
