"""Timetables: building the solver's problem from the database, solve runs, drafts, review, publishing, exports."""
