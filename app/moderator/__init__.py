"""Moderator pages: my sessions, a session's people and check-in, the day's session list."""
