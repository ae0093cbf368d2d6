"""`flask users ...`: creating the first organizer and managing accounts."""

from flask.cli import AppGroup

users_cli = AppGroup("users", help="User accounts.")
