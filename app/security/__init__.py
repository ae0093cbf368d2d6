"""Security helpers shared by every area: secret tokens and role checks."""
