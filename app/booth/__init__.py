"""Booth staff pages: the booth's offer, incoming requests, today's meetings and their outcomes."""
