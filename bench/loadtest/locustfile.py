"""Locust users for the province event: cooperatives reading their agenda, calendar clients polling feeds.

Run by `make loadtest`; by hand: `locust -f bench/loadtest/locustfile.py --host http://127.0.0.1:PORT`
with LOADTEST_TOKENS pointing at the CSV written by `python -m bench.loadtest.seed`.

The mix (weights of the user classes, and of requests inside them):
- CooperativeOnPhone (1 in 3 users): opens its personal link once (`/a/<token>`, which sets the session
  cookie and redirects), then reads `/saya/agenda` every 1 to 3 seconds, as someone checking the next meeting.
- CalendarClient (2 in 3 users): a calendar client holding ten subscribed feeds (`/calendar/feed/<token>.ics`),
  fetching one of them every 0.5 to 1.5 seconds. A feed it has not fetched yet is fetched plainly; a feed it
  fetched before is fetched with If-None-Match (the earlier ETag) 7 times in 10, as Apple Calendar and
  Thunderbird do, and plainly 3 in 10, as fetchers that ignore ETags do.
"""

from __future__ import annotations

import csv
import os
import random
from pathlib import Path

from locust import between, events, task
from locust.contrib.fasthttp import FastHttpUser

TOKENS_PATH = Path(os.environ.get("LOADTEST_TOKENS", "instance/loadtest-tokens.csv"))
CONDITIONAL_SHARE = 0.7
FEEDS_PER_CLIENT = 10


def load_tokens(path: Path) -> list[tuple[str, str]]:
    """Return (access token, feed token) pairs from the seed's CSV file."""
    with path.open(newline="") as fh:
        return [(row["access_token"], row["feed_token"]) for row in csv.DictReader(fh)]


TOKENS = load_tokens(TOKENS_PATH)
REQUEST_LOG = os.environ.get("LOADTEST_REQUEST_LOG")


if REQUEST_LOG:
    _request_log = open(REQUEST_LOG, "a", buffering=1 << 16)  # noqa: SIM115 (open for the whole run)

    @events.request.add_listener
    def log_request(request_type, name, response_time, start_time=None, **_kwargs) -> None:
        """Write each request's start (epoch seconds), name and response time, to see when the slow ones fall."""
        _request_log.write(f"{start_time or 0:.3f}\t{name}\t{response_time:.1f}\n")

    @events.quitting.add_listener
    def close_request_log(**_kwargs) -> None:
        """Flush the request log when locust stops."""
        _request_log.close()


class CooperativeOnPhone(FastHttpUser):
    """A cooperative's officer who opened the personal link and keeps the agenda page open."""

    weight = 1
    wait_time = between(1, 3)

    def on_start(self) -> None:
        """Open the personal link once: the session cookie then speaks for the cooperative."""
        access_token, _feed = random.choice(TOKENS)
        with self.client.get(f"/a/{access_token}", name="/a/[token]", catch_response=True) as response:
            if response.status_code != 200 or "/saya" not in (response.url or ""):
                response.failure(f"personal link gave {response.status_code} at {response.url}")

    @task
    def read_agenda(self) -> None:
        """Read the agenda page."""
        with self.client.get("/saya/agenda", name="/saya/agenda", catch_response=True) as response:
            if response.status_code != 200 or b"agenda" not in (response.content or b"").lower():
                response.failure(f"agenda gave {response.status_code}")


class CalendarClient(FastHttpUser):
    """A calendar service polling a handful of subscribed feeds, revalidating with ETags when it has one."""

    weight = 2
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        """Take the feeds this client is subscribed to."""
        self.feeds = [feed for _access, feed in random.sample(TOKENS, FEEDS_PER_CLIENT)]
        self.etags: dict[str, str] = {}

    @task
    def poll_feed(self) -> None:
        """Fetch one feed, conditionally when an ETag is known (most of the time)."""
        token = random.choice(self.feeds)
        etag = self.etags.get(token)
        headers = {}
        name = "/calendar/feed/[token].ics"
        if etag and random.random() < CONDITIONAL_SHARE:
            headers["If-None-Match"] = etag
            name += " (If-None-Match)"
        with self.client.get(
            f"/calendar/feed/{token}.ics", headers=headers, name=name, catch_response=True
        ) as response:
            if response.status_code == 200 and (response.content or b"").startswith(b"BEGIN:VCALENDAR"):
                self.etags[token] = response.headers.get("ETag", "")
            elif response.status_code != 304 or not etag:
                response.failure(f"feed gave {response.status_code}")
