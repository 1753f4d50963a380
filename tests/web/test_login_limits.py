"""Login limits that hold across workers and cannot be turned against the account owner."""

from __future__ import annotations

import threading
import uuid

import pytest

from app import create_app
from app.accounts.throttle import (
    DatabaseStore,
    FallbackStore,
    LoginThrottle,
    MemoryStore,
    Policy,
    RedisStore,
    check_store_choice,
)
from app.extensions import db
from tests.conftest import TEST_PASSWORD, csrf_token

STAFF = "staff@test.example"
WRONG = "nope nope nope"
REDIS_URL = "redis://127.0.0.1:6379/15"


def post_login(client, login: str, password: str, address: str = "198.51.100.1", **headers):
    token = csrf_token(client)
    return client.post(
        "/login",
        data={"login": login, "password": password, "csrf_token": token},
        environ_base={"REMOTE_ADDR": address},
        headers=headers,
    )


def test_a_stranger_cannot_lock_the_owner_out(app, client, world):
    """Failures from one client delay that client only; the owner elsewhere logs in at once."""
    for _ in range(app.config["LOGIN_LIMIT_PER_ACCOUNT"]):
        assert post_login(client, STAFF, WRONG, "203.0.113.66").status_code == 422
    refused = post_login(client, STAFF, TEST_PASSWORD, "203.0.113.66")
    assert refused.status_code == 429 and "detik" in refused.get_data(as_text=True)
    owner = app.test_client()
    assert post_login(owner, STAFF, TEST_PASSWORD, "198.51.100.7").status_code == 303


def test_successful_logins_do_not_count_against_an_office_address(app, world):
    """Thirty people behind one address log in within minutes: nobody is throttled."""
    for n in range(app.config["LOGIN_LIMIT_PER_CLIENT"] + 10):
        client = app.test_client()
        assert post_login(client, STAFF, TEST_PASSWORD, "192.0.2.10").status_code == 303, n


def test_counters_are_shared_by_two_workers(app, world):
    """Two app instances (two gunicorn workers) on one database share the counters: the
    password is checked only as often as the limit allows, then even the right one waits."""
    second = create_app({**app.config, "TESTING": True})
    limit = app.config["LOGIN_LIMIT_PER_ACCOUNT"]
    workers = [app.test_client(), second.test_client()]
    statuses = [post_login(workers[n % 2], STAFF, WRONG).status_code for n in range(limit + 4)]
    assert statuses[:limit] == [422] * limit and set(statuses[limit:]) == {429}
    assert post_login(workers[1], STAFF, TEST_PASSWORD).status_code == 429
    with second.app_context():
        db.session.remove()
        db.engine.dispose()


def test_per_process_counters_are_refused_in_production():
    with pytest.raises(RuntimeError, match="per process"):
        check_store_choice("memory", testing=False, debug=False)
    check_store_choice("memory", testing=True, debug=False)
    check_store_choice("", testing=False, debug=False)


def test_trusted_proxy_hops_give_the_real_client_address(app, world):
    """Behind one trusted proxy every user has their own address; without the setting a
    forged X-Forwarded-For is ignored."""
    behind = create_app({**app.config, "TESTING": True, "TRUSTED_PROXY_HOPS": 1})
    client = behind.test_client()
    for _ in range(app.config["LOGIN_LIMIT_PER_ACCOUNT"]):
        post_login(client, STAFF, WRONG, "10.0.0.1", **{"X-Forwarded-For": "203.0.113.9"})
    other = behind.test_client()
    response = post_login(
        other, STAFF, TEST_PASSWORD, "10.0.0.1", **{"X-Forwarded-For": "198.51.100.3"}
    )
    assert response.status_code == 303
    direct = app.test_client()  # no trusted proxy: the proxy's address is the client
    for _ in range(app.config["LOGIN_LIMIT_PER_ACCOUNT"]):
        post_login(direct, STAFF, WRONG, "10.0.0.2", **{"X-Forwarded-For": "203.0.113.9"})
    forged = post_login(
        app.test_client(), STAFF, TEST_PASSWORD, "10.0.0.2", **{"X-Forwarded-For": "198.51.100.4"}
    )
    assert forged.status_code == 429
    with behind.app_context():
        db.session.remove()
        db.engine.dispose()


# ---- the throttle itself, on every store -----------------------------------------------------


@pytest.fixture(params=["memory", "database", "redis"])
def store(request, app):
    if request.param == "memory":
        yield MemoryStore(), "m"
    elif request.param == "redis":
        yield RedisStore(REDIS_URL), uuid.uuid4().hex
    else:
        with app.app_context():
            yield DatabaseStore(), "d"


def throttle_on(store, pair=3, client=6, account=10) -> LoginThrottle:
    return LoginThrottle(
        store, Policy(pair, base=2, cap=60), Policy(client, base=2, cap=60), Policy(account)
    )


def test_delays_grow_instead_of_a_lock(store):
    store, prefix = store
    throttle = throttle_on(store)
    now = 1_000_000.0
    for _ in range(3):
        assert throttle.begin(f"{prefix}-ip", f"{prefix}-acct", now) == 0
    waits = []
    for _ in range(4):
        wait = throttle.begin(f"{prefix}-ip", f"{prefix}-acct", now)
        assert wait > 0  # too early: refused and not counted
        now += wait
        assert throttle.begin(f"{prefix}-ip", f"{prefix}-acct", now) == 0
        waits.append(wait)
    assert waits == [2, 4, 8, 16]
    assert throttle.begin(f"{prefix}-ip2", f"{prefix}-acct", now) == 0  # another client: free


def test_success_clears_the_pair_and_is_not_counted_for_the_client(store):
    store, prefix = store
    throttle = throttle_on(store)
    now = 2_000_000.0
    for n in range(20):
        account = f"{prefix}-user{n}"
        assert throttle.begin(f"{prefix}-office", account, now) == 0
        throttle.succeeded(f"{prefix}-office", account, now)
    for _ in range(3):
        throttle.begin(f"{prefix}-office", f"{prefix}-user0", now)
    throttle.succeeded(f"{prefix}-office", f"{prefix}-user0", now)
    assert throttle.begin(f"{prefix}-office", f"{prefix}-user0", now) == 0


def test_known_clients_are_exempt_from_the_account_wide_delay(store):
    store, prefix = store
    throttle = throttle_on(store, pair=100, client=100, account=5)
    now = 3_000_000.0
    assert throttle.begin(f"{prefix}-home", f"{prefix}-hr", now) == 0
    throttle.succeeded(f"{prefix}-home", f"{prefix}-hr", now)
    for n in range(5):  # a distributed guess from five addresses
        assert throttle.begin(f"{prefix}-bot{n}", f"{prefix}-hr", now) == 0
    assert throttle.begin(f"{prefix}-bot9", f"{prefix}-hr", now) > 0
    assert throttle.begin(f"{prefix}-home", f"{prefix}-hr", now) == 0


@pytest.mark.parametrize("kind", ["memory", "database", "redis"])
def test_parallel_attempts_cannot_pass_the_limit(app, kind):
    """Twenty simultaneous attempts (as from several workers): exactly the free ones pass."""
    stores = {"memory": MemoryStore, "database": DatabaseStore}
    store = stores[kind]() if kind in stores else RedisStore(REDIS_URL)
    prefix = uuid.uuid4().hex
    throttle = throttle_on(store, pair=5, client=100, account=100)
    allowed: list[float] = []
    barrier = threading.Barrier(20)

    def attempt() -> None:
        with app.app_context():
            barrier.wait()
            allowed.append(throttle.begin(f"{prefix}-ip", f"{prefix}-acct", 5_000_000.0))
            db.session.remove()

    threads = [threading.Thread(target=attempt) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert allowed.count(0.0) == 5


def test_counters_stay_shared_while_redis_is_down(app):
    """An unreachable Redis: the database counts instead (never per-process memory)."""
    with app.app_context():
        store = FallbackStore(RedisStore("redis://127.0.0.1:1/0"), DatabaseStore())
        throttle = throttle_on(store)
        for _ in range(3):
            assert throttle.begin("down-ip", "down-acct", 6_000_000.0) == 0
        assert throttle.begin("down-ip", "down-acct", 6_000_000.0) > 0
        other = throttle_on(DatabaseStore())  # another worker, straight on the database
        assert other.begin("down-ip", "down-acct", 6_000_000.0) > 0
