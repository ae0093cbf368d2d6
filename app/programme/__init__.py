"""The day's programme: sessions, the people on stage, seat sign-ups and waiting lists."""
