"""The organizer area's services: each does one job, flushes, and leaves the commit to its caller."""
