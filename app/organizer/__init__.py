"""The organizer's pages: setting up an event, importing, solving, reviewing, publishing, reporting."""
