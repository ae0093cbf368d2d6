"""The organizer's pages: setting up an event, importing, requests, accounts and the dashboard."""
