"""Attendee self-service: registering a cooperative, asking for meetings, the personal agenda."""
