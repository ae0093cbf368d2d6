"""Every POST route of the app, fed hostile form values by an authorised user: never a 500, never half-stored,
and HTML-looking input always comes back escaped."""

from __future__ import annotations

import re
from collections import defaultdict
from urllib.parse import urlsplit

from hypothesis import given, settings
from hypothesis import strategies as st

from app import create_app
from app.extensions import db
from app.timetable.jobs import RUNNER_KEY
from config import TestConfig
from tests.organizer.conftest import log_in
from tests.security.conftest import table_counts
from tests.security.fuzzing import FUZZ, SCRIPT, hostile_text
from tests.security.world import World, build_world, plausible_values

# Who may use each blueprint's routes (the user the fuzzer acts as); a new blueprint must be added here.
ROLE_OF_BLUEPRINT = {
    "organizer": "organizer",
    "timetable": "organizer",
    "programme": "organizer",
    "booth": "booth",
    "calendar": "booth",
    "moderator": "moderator",
    "attendee": "attendee",
    "sessions": "attendee",
    "auth": "organizer",
    "public": "anonymous",
    "health": "anonymous",
}
# Routes for visitors who are not logged in.
ANONYMOUS_ENDPOINTS = {"attendee.register", "organizer.accept_invitation", "auth.login"}
# 15 per route: some 65 routes x 15 posts keep the folder near two minutes; raise it for a deeper local run.
FORMS_FUZZ = settings(FUZZ, max_examples=15)
IMG = '"><img src=x onerror=alert(1)>'
FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
ACTION = re.compile(r'action="([^"]*)"')
NAME = re.compile(r'\bname="([^"]+)"')


def post_endpoints() -> list[str]:
    """Return the endpoint of every route that accepts POST, read from a throwaway app's URL map."""
    app = create_app(TestConfig)
    try:
        return sorted(rule.endpoint for rule in app.url_map.iter_rules() if "POST" in rule.methods)
    finally:
        with app.app_context():
            db.engine.dispose()


def role_of(endpoint: str) -> str:
    if endpoint in ANONYMOUS_ENDPOINTS:
        return "anonymous"
    return ROLE_OF_BLUEPRINT[endpoint.split(".", 1)[0]]


class NoRunner:
    """A solve runner that records nothing and starts no thread: the fuzzer only tests the request."""

    def submit(self, app, solve_run_id: int) -> None:
        """Do nothing."""


def client_for(app, role: str, world: World):
    """Return a fresh client acting as the role in this world."""
    from app.models import User

    client = app.test_client()
    if role == "attendee":
        assert client.get(f"/a/{world.attendee_token}").status_code == 302
    elif role != "anonymous":
        log_in(client, db.session.get(User, world.users[role]))
    return client


def url_of(app, endpoint: str, world: World, method: str) -> str | None:
    """Return the route's address with the world's ids, or None when the world lacks one of its arguments."""
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint and method in r.methods)
    if any(name not in world.args for name in rule.arguments):
        return None
    return app.url_map.bind("localhost").build(endpoint, {name: world.args[name] for name in rule.arguments})


_fields: dict[str, set[str]] = {}


def form_fields(app, world: World) -> dict[str, set[str]]:
    """Return the field names each POST endpoint's forms carry, read once from every page the users can open."""
    if _fields:
        return _fields
    found: dict[str, set[str]] = defaultdict(set)
    adapter = app.url_map.bind("localhost")
    for role in ("organizer", "booth", "moderator", "attendee", "anonymous"):
        client = client_for(app, role, world)
        for rule in app.url_map.iter_rules():
            if "GET" not in rule.methods or rule.endpoint == "static" or rule.arguments - set(world.args):
                continue
            page = url_of(app, rule.endpoint, world, "GET")
            response = client.get(page)
            if response.status_code != 200 or "html" not in response.content_type:
                continue
            for attributes, body in FORM.findall(response.text):
                action = ACTION.search(attributes)
                path = urlsplit(action.group(1) if action and action.group(1) else page).path
                try:
                    endpoint, _args = adapter.match(path, method="POST")
                except Exception:  # a GET form (filters, search)
                    continue
                found[endpoint].update(n for n in NAME.findall(body) if n != "csrf_token")
    _fields.update(found)
    return _fields


def reset_database() -> None:
    db.session.rollback()
    with db.engine.begin() as connection:
        for table in reversed(db.metadata.sorted_tables):
            connection.execute(table.delete())


@st.composite
def form_data(draw, names: list[str], plausible: list[str]) -> dict[str, object]:
    """Some of the form's fields (and an unexpected one now and then), each with a hostile or a plausible value."""
    # Mostly what a user would type, so forms often validate and hostile values reach the services and database.
    value = st.one_of(
        st.sampled_from(plausible),
        st.sampled_from(plausible),
        hostile_text,
        st.sampled_from([SCRIPT, IMG, "Ruang\x00Semeru", "1\x00"]),
    )
    chosen = draw(st.lists(st.sampled_from(names), unique=True, max_size=len(names))) if names else []
    if draw(st.integers(0, 4)) == 0:
        chosen.append(draw(st.sampled_from(["id", "event_id", "status", "role", "x" * 300, "\x00", "a[b]"])))
    data: dict[str, object] = {}
    for name in chosen:
        data[name] = draw(st.lists(value, min_size=2, max_size=3)) if draw(st.integers(0, 5)) == 0 else draw(value)
    return data


def test_every_blueprint_with_post_routes_has_a_user_to_act_as():
    for endpoint in post_endpoints():
        assert role_of(endpoint)


def pytest_generate_tests(metafunc):
    """Fuzz each POST route of the URL map as its own test, so a new route is fuzzed without being listed."""
    if "endpoint" in metafunc.fixturenames:
        metafunc.parametrize("endpoint", post_endpoints())


def test_hostile_form_values_never_break_a_post_route(app, endpoint, monkeypatch):
    monkeypatch.setitem(app.extensions, RUNNER_KEY, NoRunner())
    state = {"world": build_world()}
    fields = form_fields(app, state["world"])
    # A button-only form: offer it every field name of the app, in case its route reads one anyway.
    names = sorted(fields.get(endpoint) or set().union(*fields.values()))
    role = role_of(endpoint)

    @FORMS_FUZZ
    @given(data=st.data())
    def post_hostile_values(data):
        if state["world"] is None:
            reset_database()
            state["world"] = build_world()
        world = state["world"]
        url = url_of(app, endpoint, world, "POST")
        client = client_for(app, role, world)
        form = data.draw(form_data(names, plausible_values(world)))
        before = table_counts()
        response = client.post(url, data=form, follow_redirects=True)
        assert response.status_code < 500, (endpoint, form)
        assert SCRIPT not in response.text and IMG not in response.text, "input must come back escaped"
        after = table_counts()
        if response.status_code >= 400:
            assert after == before, "a refused request writes nothing"
        if after != before:
            state["world"] = None  # the next example starts from a fresh world

    post_hostile_values()


# ---------------------------------------------------------------- what the fuzzer found
def test_a_nul_character_in_a_form_is_dropped_not_sent_to_the_database(app):
    from app.models import Room

    world = build_world()
    client = client_for(app, "organizer", world)
    response = client.post(
        f"/organizer/events/{world.args['event_id']}/rooms", data={"name": "Ruang\x00 Bromo", "capacity": "1\x000"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.scalar(db.select(Room.capacity).where(Room.name == "Ruang Bromo")) == 10


def test_a_nul_character_in_the_address_is_not_found_rather_than_a_crash(app):
    world = build_world()
    assert app.test_client().get(f"/e/{world.args['slug']}%00/daftar").status_code == 404
    assert app.test_client().get(f"/e/{world.args['slug']}/daftar?desa=35.14%00").status_code == 200


def test_with_csrf_on_no_post_route_accepts_a_post_without_its_token(app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    monkeypatch.setitem(app.extensions, RUNNER_KEY, NoRunner())
    world = build_world()
    before = table_counts()
    accepted = []
    for endpoint in post_endpoints():
        client = client_for(app, role_of(endpoint), world)
        response = client.post(url_of(app, endpoint, world, "POST"), data={"name": SCRIPT, "status": "held"})
        if response.status_code not in (400, 404):
            accepted.append((endpoint, response.status_code))
    assert accepted == []
    assert table_counts() == before
