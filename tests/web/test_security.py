"""Accounts and sessions: argon2id hashes, cookie flags, CSRF on every form, log-in throttling."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from httpx import Response

from accord.security.rate_limit import copy_limit
from accord.security.throttle import FREE_FAILURES, LoginThrottle
from accord.services import audit
from accord.services.demo import demo_password
from accord.storage.database import open_database
from accord.storage.tables import sessions, users
from accord.web.app import create_app
from tests.web.conftest import NAME, A, B, Workbench, api_token, log_in, login_form, make_workbench
from tests.web.test_access_matrix import registered_routes


def test_passwords_are_stored_as_argon2id_hashes(bench: Workbench) -> None:
    with bench.database.engine.connect() as connection:
        stored = dict(connection.execute(sa.select(users.c.username, users.c.password_hash)).all())
    assert set(stored) == {"mediator", "russia", "ukraine", "europe", "observer"}
    for username, hashed in stored.items():
        assert hashed.startswith("$argon2id$")
        assert demo_password(username) not in hashed


def _session_cookie(response: Response) -> str:
    return next(c for c in response.headers.get_list("set-cookie") if c.startswith("accord_session=")).lower()


def test_the_session_cookie_is_http_only_and_same_site(bench: Workbench) -> None:
    response = bench.client.post("/login", data=login_form(bench.client, A))
    cookie = _session_cookie(response)
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert "secure" not in cookie  # plain http on localhost
    with bench.database.engine.connect() as connection:
        token_hashes = connection.execute(sa.select(sessions.c.token_hash)).scalars().all()
    token = response.cookies.get("accord_session")
    assert token and token not in token_hashes, "only the token's hash is stored"


def test_the_cookie_is_secure_behind_https(tmp_path: Path) -> None:
    bench = make_workbench(tmp_path)
    client = TestClient(create_app(bench.database, https_only=True), follow_redirects=False)
    form = login_form(client, A)
    # the browser speaks HTTPS to the proxy in front, which sends back the log-in page's Secure cookie
    cookie = {"Cookie": f"accord_login={form['csrf_token']}"}
    response = client.post("/login", data=form, headers=cookie)
    assert "secure" in _session_cookie(response)


def test_the_log_in_form_carries_a_csrf_token(bench: Workbench) -> None:
    # another site's form logging the visitor in as someone else (log-in CSRF): no token, or a token
    # that is not the one this browser's log-in page was given
    forged = bench.client.post("/login", data={"username": A, "password": demo_password(A)})
    assert forged.status_code == 403 and "accord_session" not in forged.cookies
    assert 'name="csrf_token"' in forged.text, "the answer is a fresh form to try again with"
    stranger = TestClient(bench.client.app)
    foreign = login_form(stranger, A)["csrf_token"]
    form = {"username": A, "password": demo_password(A)}
    bench.client.get("/login")
    refused = bench.client.post("/login", data={**form, "csrf_token": foreign})
    assert refused.status_code == 403 and "accord_session" not in refused.cookies
    done = bench.client.post("/login", data=login_form(bench.client, A))
    assert done.status_code == 303 and done.cookies.get("accord_session")


def test_a_form_without_the_csrf_token_changes_nothing(bench: Workbench) -> None:
    csrf = log_in(bench.client, A)
    form = {"point": "7", "stance": "reject", "draft": "3"}
    refused = bench.client.post(f"/n/{NAME}/stances", data=form)
    assert refused.status_code == 403 and "CSRF" in refused.text
    forged = bench.client.post(f"/n/{NAME}/stances", data={**form, "csrf_token": "x" * 43})
    assert forged.status_code == 403
    accepted = bench.client.post(f"/n/{NAME}/stances", data={**form, "csrf_token": csrf})
    assert accepted.status_code == 303


def test_the_api_with_the_cookie_needs_the_csrf_header(bench: Workbench) -> None:
    csrf = log_in(bench.client, A)
    body = {"party": A, "point": "7", "stance": "reject", "draft": 3}
    assert bench.client.post(f"/api/negotiations/{NAME}/stances", json=body).status_code == 403
    done = bench.client.post(f"/api/negotiations/{NAME}/stances", json=body, headers={"X-CSRF-Token": csrf})
    assert done.status_code == 201


def test_every_api_call_that_changes_or_computes_needs_the_csrf_header_with_the_cookie(
    bench: Workbench,
) -> None:
    """Every POST, PUT, PATCH and DELETE of the API, sent with the session cookie alone (as a forged
    cross-site request would be), is refused before it does anything; logging in has no session yet."""
    log_in(bench.client, "mediator")
    changing = sorted(
        (method, path)
        for method, path in registered_routes(bench)
        if path.startswith("/api/")
        and method not in ("GET", "OPTIONS")
        and path not in ("/api/login", "/api/logout")
    )
    assert len(changing) > 20, changing  # the walk found the API's routes
    unchecked = []
    for method, route in changing:
        path = re.sub(r"\{version\}", "3", route.replace("{name}", NAME))
        answer = bench.client.request(method, re.sub(r"\{[a-z_]+\}", "x", path), json={})
        if answer.status_code != 403 or "CSRF" not in answer.text:
            unchecked.append(f"{method} {route}: {answer.status_code}")
    assert not unchecked, unchecked
    # logging out of the API ends the bearer token it is sent with; the cookie alone ends nothing
    assert bench.client.post("/api/logout").status_code == 204
    assert bench.client.get(f"/api/negotiations/{NAME}").status_code == 200


def test_repeated_failed_log_ins_are_refused_for_a_while(tmp_path: Path) -> None:
    bench = make_workbench(tmp_path)
    client = TestClient(create_app(bench.database, throttle=LoginThrottle(free=3, base_delay=30)))
    for _ in range(3):
        assert (
            client.post("/api/login", json={"username": A, "password": "wrong-password"}).status_code == 401
        )
    blocked = client.post("/api/login", json={"username": A, "password": demo_password(A)})
    assert blocked.status_code == 429 and int(blocked.headers["retry-after"]) == 30
    assert blocked.json()["error"] == "TooManyAttempts"


def test_failures_from_one_address_never_lock_the_owner_out_from_another(tmp_path: Path) -> None:
    bench = make_workbench(tmp_path)
    app = create_app(bench.database)
    attacker = TestClient(app, client=("203.0.113.9", 40000))
    refused = 0
    for _ in range(12):
        answer = attacker.post("/api/login", json={"username": A, "password": "wrong-password"})
        refused += answer.status_code == 429
    assert refused > 0, "the attacker's address is slowed down"
    owner = TestClient(app, client=("198.51.100.7", 40000))
    assert owner.post("/api/login", json={"username": A, "password": demo_password(A)}).status_code == 200


def test_one_address_trying_many_accounts_is_refused(tmp_path: Path) -> None:
    bench = make_workbench(tmp_path)
    app = create_app(bench.database, throttle=LoginThrottle(address_failures=4))
    sprayer = TestClient(app, client=("203.0.113.9", 40000))
    for user in ("mediator", "russia", "ukraine", "europe"):
        sprayer.post("/api/login", json={"username": user, "password": "wrong-password"})
    refused = sprayer.post("/api/login", json={"username": "observer", "password": "wrong-password"})
    assert refused.status_code == 429
    other = TestClient(app, client=("198.51.100.7", 40000))
    assert (
        other.post(
            "/api/login", json={"username": "observer", "password": demo_password("observer")}
        ).status_code
        == 200
    )


def test_a_wrong_password_and_an_unknown_user_look_the_same(bench: Workbench) -> None:
    wrong = bench.client.post("/api/login", json={"username": A, "password": "wrong-password"})
    nobody = bench.client.post("/api/login", json={"username": "nobody", "password": "wrong-password"})
    assert wrong.status_code == nobody.status_code == 401
    assert wrong.json() == nobody.json()


def test_logging_out_ends_the_session(bench: Workbench) -> None:
    csrf = log_in(bench.client, A)
    assert bench.client.get("/negotiations").status_code == 200
    bench.client.post("/logout", data={"csrf_token": csrf})
    bench.client.cookies.clear()
    assert bench.client.get("/negotiations").status_code == 303


def test_failed_log_ins_count_across_server_processes(tmp_path: Path) -> None:
    bench = make_workbench(tmp_path)
    # two apps, each on its own engine of the one database: two worker processes of one server
    first = TestClient(create_app(bench.database))
    second = TestClient(create_app(open_database(bench.database.url)))
    for n in range(FREE_FAILURES):
        client = (first, second)[n % 2]
        assert (
            client.post("/api/login", json={"username": A, "password": "wrong-password"}).status_code == 401
        )
    for client in (first, second):
        blocked = client.post("/api/login", json={"username": A, "password": demo_password(A)})
        assert blocked.status_code == 429, blocked.text


def _copy_form(csrf: str | None) -> dict[str, str]:
    return {"format": "md", **({"csrf_token": csrf} if csrf else {})}


def test_taking_a_copy_is_a_post_with_the_csrf_token(bench: Workbench) -> None:
    # a copy writes the register and the audit log: a link (or an <img> on another site) must not
    csrf = log_in(bench.client, B)
    recorded = len(audit.entries(bench.database))
    assert bench.client.get(f"/n/{NAME}/drafts/3/copy?format=md").status_code == 405
    refused = bench.client.post(f"/n/{NAME}/drafts/3/copy", data=_copy_form(None))
    assert refused.status_code == 403 and "CSRF" in refused.text
    assert len(audit.entries(bench.database)) == recorded
    taken = bench.client.post(f"/n/{NAME}/drafts/3/copy", data=_copy_form(csrf))
    assert taken.status_code == 200 and taken.headers["content-disposition"].endswith(f'-v3-{B}.md"')
    assert audit.entries(bench.database)[-1].action == "copy.export"
    page = bench.client.get(f"/n/{NAME}/drafts/3").text
    assert f'<form method="post" action="/n/{NAME}/drafts/3/copy"' in page
    assert "/copy?" not in page, "no link takes a copy"


def test_a_seat_takes_only_a_few_copies_a_minute(tmp_path: Path) -> None:
    bench = make_workbench(tmp_path)
    client = TestClient(create_app(bench.database, copies=copy_limit(limit=2)), follow_redirects=False)
    csrf = log_in(client, B)
    for _ in range(2):
        assert client.post(f"/n/{NAME}/drafts/3/copy", data=_copy_form(csrf)).status_code == 200
    recorded = len(audit.entries(bench.database))
    refused = client.post(f"/n/{NAME}/drafts/3/copy", data=_copy_form(csrf))
    assert refused.status_code == 429 and 0 < int(refused.headers["retry-after"]) <= 60
    assert "at most 2 copies" in refused.text
    assert len(audit.entries(bench.database)) == recorded
    other = TestClient(client.app, follow_redirects=False)  # another seat is not held back
    assert other.post(f"/n/{NAME}/drafts/3/copy", data=_copy_form(log_in(other, A))).status_code == 200


def test_a_new_password_ends_every_session_of_the_account(bench: Workbench) -> None:
    """Whoever logged in with the old password (a browser, an API token) is logged out by the change."""
    from accord.services import accounts

    log_in(bench.client, A)
    assert bench.client.get("/negotiations").status_code == 200
    token = {"Authorization": f"Bearer {api_token(bench.client, A)}"}
    assert bench.client.get("/api/negotiations", headers=token).status_code == 200
    other = TestClient(bench.client.app, follow_redirects=False)
    log_in(other, B)  # another account's session is not touched
    accounts.set_password(bench.database, A, "a brand new password", actor="admin")
    assert bench.client.get("/api/negotiations", headers=token).status_code == 401
    assert bench.client.get("/negotiations").status_code == 303  # back to the log-in page
    assert other.get("/negotiations").status_code == 200
    assert audit.check(bench.database).ok


def test_a_revoked_seat_sees_nothing_from_its_next_request_on(bench: Workbench) -> None:
    from accord.errors import DomainError
    from accord.services import accounts

    log_in(bench.client, A)
    assert bench.client.get(f"/n/{NAME}").status_code == 200
    accounts.revoke(bench.database, A, NAME, actor="admin")
    assert bench.client.get(f"/n/{NAME}").status_code in (403, 404)
    assert NAME not in bench.client.get("/negotiations").text
    entry = audit.entries(bench.database)[-1]
    assert entry.action == "user.revoke" and entry.details == {"user": A}
    assert audit.check(bench.database).ok
    with pytest.raises(DomainError, match="has no seat"):
        accounts.revoke(bench.database, A, NAME, actor="admin")
