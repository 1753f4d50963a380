"""HTTP throughput of portal pages as a ratio to the bare endpoint, measured in the same run.

Starts gunicorn (2 sync workers) on a fresh SQLite database seeded with the demo data, warms
up, then loads each endpoint with wrk (Debian package `wrk`; a Python client when wrk is
missing) for a few rounds and reports the median requests/s and its ratio to GET /ping.

    python bench/http_bench.py [--employees 2000] [--seconds 8] [--rounds 3] [--connections 16]

Machines are noisy: compare ratios, not absolute numbers.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))

from bench.serving import free_port, login_cookie, wait_until_up  # noqa: E402


def flask(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [str(BIN / "flask"), "--app", "wsgi", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def run_wrk(url: str, seconds: int, connections: int, cookie: str | None) -> tuple[float, int]:
    args = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", url]
    if cookie:
        args[1:1] = ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    failures = (int(bad.group(1)) if bad else 0) + (sum(map(int, errors.groups())) if errors else 0)
    return rps, failures


def run_python(
    port: int, path: str, seconds: int, connections: int, cookie: str | None
) -> tuple[float, int]:
    """Fallback load: keep-alive connections in threads (slower than wrk; ratios still compare)."""
    counts = [0] * connections
    failures = [0] * connections
    stop = time.monotonic() + seconds
    headers = {"Cookie": cookie} if cookie else {}

    def worker(index: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port)
        while time.monotonic() < stop:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            counts[index] += 1
            failures[index] += response.status >= 400

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts) / seconds, sum(failures)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--employees", type=int, default=2000)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    options = parser.parse_args()

    from app.demo.seed import DEMO_DOMAIN, DEMO_PASSWORD

    tmp = Path(tempfile.mkdtemp(prefix="bangkom-bench-"))
    env = {
        **os.environ,
        "BANGKOM_INSTANCE_DIR": str(tmp),
        "SECRET_KEY": "bench",
        "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
    }
    env.pop("REDIS_URL", None)
    flask(env, "db", "upgrade")
    flask(env, "demo", "seed", "--employees", str(options.employees))
    port = free_port()
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "-w",
            str(options.workers),
            "-b",
            f"127.0.0.1:{port}",
            "--access-logfile",
            "/dev/null",
            "--error-logfile",
            str(tmp / "gunicorn.log"),
            "wsgi:app",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        wait_until_up(port)
        cookies = {
            "hr": login_cookie(port, f"bkpsdm@{DEMO_DOMAIN}", DEMO_PASSWORD),
            "head": login_cookie(port, f"kepala.dinkes@{DEMO_DOMAIN}", DEMO_PASSWORD),
        }
        scenarios = [
            ("bare endpoint GET /ping", "/ping", None),
            ("login page GET /login", "/login", None),
            ("home, head of OPD GET /", "/", cookies["head"]),
            ("home, HR admin GET /", "/", cookies["hr"]),
            ("employee list, HR GET /employees", "/employees", cookies["hr"]),
        ]
        use_wrk = shutil.which("wrk") is not None
        print(
            f"load generator: {'wrk' if use_wrk else 'python threads'}; gunicorn -w {options.workers}; "
            f"{options.employees} employees; {options.rounds} x {options.seconds} s; "
            f"{options.connections} connections"
        )
        results: dict[str, list[float]] = {}
        failures: dict[str, int] = {}
        for _name, path, cookie in scenarios:  # warm-up
            (
                run_wrk(f"http://127.0.0.1:{port}{path}", 2, options.connections, cookie)
                if use_wrk
                else run_python(port, path, 2, options.connections, cookie)
            )
        for _ in range(options.rounds):  # interleaved rounds: drift hits every scenario alike
            for name, path, cookie in scenarios:
                rps, bad = (
                    run_wrk(
                        f"http://127.0.0.1:{port}{path}",
                        options.seconds,
                        options.connections,
                        cookie,
                    )
                    if use_wrk
                    else run_python(port, path, options.seconds, options.connections, cookie)
                )
                results.setdefault(name, []).append(rps)
                failures[name] = failures.get(name, 0) + bad
        base = statistics.median(results[scenarios[0][0]])
        print(f"{'scenario':38} {'median req/s':>12} {'ratio':>7} {'failures':>9}")
        for name, _, _ in scenarios:
            median = statistics.median(results[name])
            print(f"{name:38} {median:12.0f} {median / base:7.3f} {failures[name]:9d}")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
