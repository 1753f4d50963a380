"""Survey throughput and export cost, as ratios to the bare endpoint measured in the same run.

Starts gunicorn (2 sync workers) on a fresh SQLite database with one open public campaign of
a 30-question one-page survey, then measures with wrk (a Python client when wrk is missing):

* B0  GET /ping, the bare endpoint (denominator);
* B1  GET of the public survey page (a first visit: new session, CSRF token, 30 questions);
* B2  POST of that page with all answers (CSRF, server-side logic, one response and ~30 answer
      rows in one transaction, 303), every request with its own submission key (wrk + Lua);
* B2x an exact run with a multi-process Python client: a fixed number of submissions plus
      retries of already-sent keys, then the database must hold exactly one response each;
* E   exports of 100,000 submitted responses through the HTTP routes (CSV streamed, XLSX built
      with XlsxWriter in constant memory): time to the last byte and the serving worker's
      peak RSS growth (VmHWM after minus VmRSS before, from /proc; the peak is reset first).

    python bench/surveys_bench.py [--seconds 8] [--rounds 3] [--connections 16]
                                  [--exact 3000] [--export-responses 100000]

Targets (issue 3): B1 ≥ 0.10×, B2 ≥ 0.04× and ≥ 150/s with no error, no lost or duplicated
response; CSV ≤ 3 s, XLSX ≤ 20 s, ≤ 100 MiB peak memory. Machines are noisy: compare ratios.
The schema is created from the models (create_all), so the script does not depend on the
state of the migrations.
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import os
import random
import re
import secrets
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))

from bench.serving import free_port, login_cookie, wait_until_up  # noqa: E402

QUESTIONS = 30
ADMIN_EMAIL = "bench-admin@bangkom.example"
ADMIN_PASSWORD = "bench-password-2026"


def definition_yaml() -> str:
    """A 30-question one-page public survey: choices, 20 ratings, texts, a number."""
    items = [
        """      - id: kelompok
        type: single
        required: true
        label: {id: "Anda mengisi sebagai", en: "You answer as"}
        choices:
          - {code: "masyarakat", label: {id: "Masyarakat umum", en: "Public"}}
          - {code: "akademisi", label: {id: "Akademisi", en: "Academia"}}
          - {code: "swasta", label: {id: "Swasta", en: "Business"}}
          - {code: "lsm", label: {id: "LSM", en: "NGO"}}
          - {code: "asn", label: {id: "ASN", en: "Civil servant"}}""",
        """      - id: usia
        type: single
        label: {id: "Kelompok usia", en: "Age group"}
        choices:
          - {code: "u1", label: {id: "Di bawah 25", en: "Under 25"}}
          - {code: "u2", label: {id: "25–39", en: "25–39"}}
          - {code: "u3", label: {id: "40–54", en: "40–54"}}
          - {code: "u4", label: {id: "55 ke atas", en: "55 and over"}}""",
    ]
    items.append(
        """      - id: jenis_kelamin
        type: single
        label: {id: "Jenis kelamin", en: "Sex"}
        choices:
          - {code: "p", label: {id: "Perempuan", en: "Female"}}
          - {code: "l", label: {id: "Laki-laki", en: "Male"}}"""
    )
    for n in range(1, 21):
        items.append(
            f"""      - id: r{n:02d}
        type: rating
        scale: puas5
        required: true
        label: {{id: "Penilaian aspek layanan nomor {n}", en: "Rating of service aspect {n}"}}"""
        )
    for n in range(1, 4):
        items.append(
            f"""      - id: yt{n}
        type: single
        choice_list: ya_tidak
        required: true
        label: {{id: "Pertanyaan ya atau tidak nomor {n}", en: "Yes or no question {n}"}}"""
        )
    items.append(
        """      - id: kanal
        type: multiple
        label: {id: "Saluran yang dipakai", en: "Channels used"}
        choices:
          - {code: "langsung", label: {id: "Datang langsung", en: "In person"}}
          - {code: "daring", label: {id: "Daring", en: "Online"}}
          - {code: "telepon", label: {id: "Telepon", en: "Phone"}}
          - {code: "wa", label: {id: "WhatsApp", en: "WhatsApp"}}
          - {code: "mpp", label: {id: "Mal Pelayanan Publik", en: "Public service mall"}}
          - {code: "perantara", label: {id: "Perantara", en: "Intermediary"}}"""
    )
    items.append(
        """      - id: kunjungan
        type: integer
        constraint: ". >= 0 and . <= 365"
        label: {id: "Berapa kali berkunjung tahun ini", en: "Visits this year"}"""
    )
    items.append(
        """      - id: nama_unit
        type: text
        label: {id: "Kantor yang dinilai", en: "Office rated"}"""
    )
    items.append(
        """      - id: saran
        type: textarea
        label: {id: "Saran", en: "Suggestions"}"""
    )
    assert len(items) == QUESTIONS
    head = textwrap.dedent(
        """\
        id: bench_publik
        version: 1
        title: {id: "Survei kepuasan layanan (uji beban)", en: "Service satisfaction (load test)"}
        languages: [id, en]
        default_language: id
        kind: stakeholder
        access: {mode: public, anonymous: true, resume: false}
        raters: [stakeholder]
        min_group_size: 5
        scales:
          puas5:
            min: 1
            max: 5
            labels:
              "1": {id: "Sangat tidak puas", en: "Very dissatisfied"}
              "5": {id: "Sangat puas", en: "Very satisfied"}
        choice_lists:
          ya_tidak:
            - {code: "ya", label: {id: "Ya", en: "Yes"}}
            - {code: "tidak", label: {id: "Tidak", en: "No"}}
        pages:
          - id: semua
            title: {id: "Pertanyaan", en: "Questions"}
            items:
        """
    )
    return head + "\n".join(items) + "\n"


def answers(rng: random.Random) -> dict[str, object]:
    values: dict[str, object] = {
        "kelompok": rng.choice(["masyarakat", "akademisi", "swasta", "lsm", "asn"]),
        "usia": rng.choice(["u1", "u2", "u3", "u4"]),
        "jenis_kelamin": rng.choice(["p", "l"]),
        "kanal": sorted(rng.sample(["langsung", "daring", "telepon", "wa", "mpp", "perantara"], 2)),
        "kunjungan": rng.randint(0, 40),
        "nama_unit": "Dinas Kependudukan dan Pencatatan Sipil",
    }
    for n in range(1, 21):
        values[f"r{n:02d}"] = rng.randint(1, 5)
    for n in range(1, 4):
        values[f"yt{n}"] = rng.choice(["ya", "tidak"])
    if rng.random() < 0.3:
        values["saran"] = "Antrean perlu dipercepat dan persyaratan diumumkan dengan jelas."
    return values


def form_body(values: dict[str, object]) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for key, value in values.items():
        if isinstance(value, list):
            pairs += [(key, str(v)) for v in value]
        else:
            pairs.append((key, str(value)))
    return pairs


# ------------------------------------------------------------------------------ set-up


def run_python(env: dict[str, str], code: str) -> str:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout


SETUP = """
from app import create_app
from app.extensions import db
from app.accounts.models import Role
from app.accounts.services import create_user
from app.org.models import Instansi, InstansiKind, OrgUnit, UnitKind
from app.surveys import services
from app.surveys.models import Audience
app = create_app()
with app.app_context():
    db.create_all()
    instansi = Instansi(code="kota-bench", name="Kota Bench", kind=InstansiKind.KOTA)
    db.session.add(instansi)
    db.session.flush()
    for name in ("Dinas Kesehatan", "Dinas Pendidikan", "Dinas Kependudukan dan Pencatatan Sipil"):
        unit = OrgUnit(instansi_id=instansi.id, name=name, kind=UnitKind.DINAS)
        db.session.add(unit)
        db.session.flush()
        unit.path = f"/{unit.id}/"
    create_user(%(email)r, "Bench Admin", %(password)r, roles=((Role.SYSADMIN, None),))
    from app.clock import local_today
    today = local_today()
    from datetime import timedelta
    campaign = services.create_campaign(instansi.id, services.CampaignData(
        definition_id="bench_publik", title="Uji beban", audience=Audience.STAKEHOLDER,
        cycle_year=today.year, opens_on=today - timedelta(days=1),
        closes_on=today + timedelta(days=30), public_link=True), None)
    services.publish_campaign(campaign)
    print(campaign.id, campaign.public_token)
"""

FILL = """
import random, sys
sys.path.insert(0, %(root)r)
from bench.surveys_bench import answers
from app import create_app
from app.extensions import db
from app.surveys import services
from app.surveys.demo import bulk_insert_answers
from app.surveys.models import Campaign, Response, ResponseStatus
app = create_app()
rng = random.Random(7)
with app.app_context():
    campaign = db.session.get(Campaign, %(campaign)d)
    definition = services.campaign_definition(campaign)
    from app.clock import local_today
    today = local_today()
    table = Response.__table__
    start = (db.session.scalar(db.select(db.func.max(Response.id))) or 0) + 1
    for first in range(0, %(count)d, 5000):
        size = min(5000, %(count)d - first)
        rows, answer_rows = [], []
        for offset in range(size):
            rid = start + first + offset
            values = answers(rng)
            rows.append(dict(id=rid, campaign_id=campaign.id, definition_id=campaign.definition_id,
                definition_version=campaign.definition_version, language="id",
                rater_role="stakeholder", stakeholder_group=values["kelompok"],
                status=ResponseStatus.SUBMITTED, draft_answers="{}", started_on=today,
                submitted_on=today, submission_key="fill-%%d" %% rid))
            answer_rows.extend(services.answer_rows(definition, rid, values))
        db.session.execute(table.insert(), rows)
        bulk_insert_answers(answer_rows)
        db.session.commit()
    print(db.session.scalar(db.select(db.func.count()).select_from(Response)))
"""


def session_and_token(port: int, path: str) -> tuple[str, str, str]:
    """A visitor's session cookie, its CSRF token and a submission key, read from the page."""
    conn = http.client.HTTPConnection("127.0.0.1", port)
    conn.request("GET", path)
    response = conn.getresponse()
    html = response.read().decode()
    cookie = response.getheader("Set-Cookie", "").split(";")[0]
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)  # type: ignore[union-attr]
    key = re.search(r'name="submission_key" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]
    return cookie, token, key


def wrk(
    url: str, seconds: int, connections: int, script: Path | None = None
) -> tuple[float, int, str]:
    args = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", url]
    if script is not None:
        args[1:1] = ["-s", str(script)]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    failures = (int(bad.group(1)) if bad else 0) + (sum(map(int, errors.groups())) if errors else 0)
    return rps, failures, out


def python_load(port: int, path: str, seconds: int, connections: int) -> tuple[float, int, str]:
    counts, failures = [0] * connections, [0] * connections
    stop = time.monotonic() + seconds

    def worker(index: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port)
        while time.monotonic() < stop:
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            counts[index] += 1
            failures[index] += response.status >= 400

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts) / seconds, sum(failures), ""


WRK_SUBMIT = """
local counter = 0
local threads = {}
local thread_id = 0
function setup(thread)
  thread_id = thread_id + 1
  thread:set("id", thread_id)
  table.insert(threads, thread)
end
function init(args)
  ok = 0
  other = 0
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.headers["Cookie"] = "%(cookie)s"
end
function request()
  counter = counter + 1
  local key = string.format("wrk%(run)s-%%d-%%09d", id, counter)
  return wrk.format(nil, nil, nil, "%(body)s&submission_key=" .. key)
end
function response(status, headers, body)
  if status == 303 then ok = ok + 1 else other = other + 1 end
end
function done(summary, latency, requests)
  local total_ok, total_other = 0, 0
  for _, t in ipairs(threads) do
    total_ok = total_ok + t:get("ok")
    total_other = total_other + t:get("other")
  end
  io.write(string.format("SUBMITTED %%d OTHER %%d\\n", total_ok, total_other))
end
"""


def exact_client(args: tuple[int, str, int, int]) -> tuple[int, int, int]:
    """One process: `count` submissions with their own keys, every tenth retried once."""
    port, path, count, seed = args
    rng = random.Random(seed)
    cookie, token, _ = session_and_token(port, path)
    conn = http.client.HTTPConnection("127.0.0.1", port)
    ok = errors = retries = 0
    for number in range(count):
        key = f"exact-{seed}-{number:07d}-{secrets.token_hex(4)}"
        body = urllib.parse.urlencode(
            [
                *form_body(answers(rng)),
                ("csrf_token", token),
                ("action", "submit"),
                ("submission_key", key),
            ]
        )
        for attempt in range(2 if number % 10 == 0 else 1):
            conn.request(
                "POST",
                path,
                body,
                {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
            )
            response = conn.getresponse()
            response.read()
            if response.status != 303:
                errors += 1
            elif attempt == 0:
                ok += 1
            else:
                retries += 1
    return ok, errors, retries


def count_responses(database: Path, like: str) -> tuple[int, int, int]:
    with sqlite3.connect(database) as conn:
        rows = conn.execute(
            "SELECT count(*), count(DISTINCT submission_key) FROM survey_response "
            "WHERE status = 'submitted' AND submission_key LIKE ?",
            (like,),
        ).fetchone()
        answers_count = conn.execute(
            "SELECT count(*) FROM survey_answer a JOIN survey_response r ON r.id = a.response_id "
            "WHERE r.submission_key LIKE ?",
            (like,),
        ).fetchone()[0]
    return rows[0], rows[1], answers_count


def worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def proc_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def timed_download(port: int, path: str, cookie: str, master: int) -> tuple[float, int, float]:
    """Seconds to the last byte, bytes, and the largest peak-RSS growth of a worker (MiB)."""
    before = {}
    for pid in worker_pids(master):
        try:  # reset the peak (VmHWM) to the current RSS, so the peak is this export's own
            Path(f"/proc/{pid}/clear_refs").write_text("5")
        except OSError:
            pass
        before[pid] = proc_kib(pid, "VmRSS")
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    conn.request("GET", path, headers={"Cookie": cookie})
    response = conn.getresponse()
    size = 0
    while chunk := response.read(1 << 16):
        size += len(chunk)
    elapsed = time.perf_counter() - started
    if response.status != 200:
        raise RuntimeError(f"export failed: {response.status}")
    growth = max((proc_kib(pid, "VmHWM") - rss for pid, rss in before.items()), default=0)
    return elapsed, size, growth / 1024


# ------------------------------------------------------------------------------ main


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--exact", type=int, default=3000, help="submissions in the exact run")
    parser.add_argument("--export-responses", type=int, default=100_000)
    options = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="bangkom-surveys-bench-"))
    surveys = tmp / "surveys"
    surveys.mkdir()
    (surveys / "bench_publik.yaml").write_text(definition_yaml(), encoding="utf-8")
    database = tmp / "bench.sqlite3"
    env = {
        **os.environ,
        "BANGKOM_INSTANCE_DIR": str(tmp),
        "SECRET_KEY": "bench",
        "DATABASE_URL": f"sqlite:///{database}",
        "SURVEYS_DIR": str(surveys),
    }
    env.pop("REDIS_URL", None)
    campaign_id, token = run_python(
        env, SETUP % {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}
    ).split()
    path = f"/s/{token}"
    port = free_port()
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "-w",
            str(options.workers),
            "-b",
            f"127.0.0.1:{port}",
            "--timeout",
            "120",
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
    use_wrk = shutil.which("wrk") is not None
    try:
        wait_until_up(port)
        cookie, csrf, _ = session_and_token(port, path)
        body = urllib.parse.urlencode(
            [*form_body(answers(random.Random(1))), ("csrf_token", csrf), ("action", "submit")]
        )
        print(
            f"load generator: {'wrk' if use_wrk else 'python threads'}; gunicorn -w {options.workers}; "
            f"SQLite; {options.rounds} x {options.seconds} s; {options.connections} connections; "
            f"survey page: {QUESTIONS} questions, {len(body)} bytes posted"
        )
        results: dict[str, list[float]] = {}
        failures: dict[str, int] = {}
        submitted_by_wrk = other_by_wrk = 0
        scenarios = ["B0 GET /ping", "B1 GET public survey page", "B2 POST public survey submit"]

        def run(name: str, seconds: int, round_number: int) -> tuple[float, int]:
            nonlocal submitted_by_wrk, other_by_wrk
            url = f"http://127.0.0.1:{port}"
            if name.startswith("B0"):
                return (
                    wrk(url + "/ping", seconds, options.connections)[:2]
                    if use_wrk
                    else python_load(port, "/ping", seconds, options.connections)[:2]
                )
            if name.startswith("B1"):
                return (
                    wrk(url + path, seconds, options.connections)[:2]
                    if use_wrk
                    else python_load(port, path, seconds, options.connections)[:2]
                )
            if not use_wrk:
                raise SystemExit("the submit scenario needs wrk (Debian package `wrk`)")
            script = tmp / f"submit-{round_number}.lua"
            script.write_text(
                WRK_SUBMIT
                % {"cookie": cookie, "body": body.replace("%", "%%"), "run": round_number}
            )
            rps, bad, out = wrk(url + path, seconds, options.connections, script)
            match = re.search(r"SUBMITTED (\d+) OTHER (\d+)", out)
            if match and round_number > 0:
                submitted_by_wrk += int(match.group(1))
                other_by_wrk += int(match.group(2))
            return rps, bad

        for name in scenarios:  # warm-up
            run(name, 2, 0)
        for round_number in range(1, options.rounds + 1):
            for name in scenarios:
                rps, bad = run(name, options.seconds, round_number)
                results.setdefault(name, []).append(rps)
                failures[name] = failures.get(name, 0) + bad
        time.sleep(0.5)
        stored, distinct, _ = count_responses(database, "wrk%")
        warmup, _, _ = count_responses(database, "wrk0-%")
        measured = stored - warmup
        base = statistics.median(results[scenarios[0]])
        print(f"\n{'scenario':34} {'median req/s':>12} {'ratio':>7} {'failures':>9}")
        for name in scenarios:
            median = statistics.median(results[name])
            print(f"{name:34} {median:12.0f} {median / base:7.3f} {failures[name]:9d}")
        print(
            f"B2 accounting: wrk saw {submitted_by_wrk} × 303 and {other_by_wrk} other; database holds "
            f"{measured} submitted responses from those runs ({distinct - warmup} distinct keys); "
            f"requests cut at the end of a run may add up to {options.connections} per run"
        )

        processes = 8
        per_process = max(options.exact // processes, 1)
        started = time.perf_counter()
        with multiprocessing.Pool(processes) as pool:
            outcome = pool.map(
                exact_client, [(port, path, per_process, seed) for seed in range(processes)]
            )
        elapsed = time.perf_counter() - started
        ok = sum(o[0] for o in outcome)
        errors = sum(o[1] for o in outcome)
        retries = sum(o[2] for o in outcome)
        stored, distinct, answer_rows = count_responses(database, "exact-%")
        print(
            f"B2x exact run: {ok} submissions + {retries} retries of sent keys from {processes} "
            f"processes in {elapsed:.1f} s ({(ok + retries) / elapsed:.0f} req/s, python client); "
            f"errors {errors}; database: {stored} responses, {distinct} distinct keys, "
            f"{answer_rows} answer rows → lost {max(ok - stored, 0)}, duplicated "
            f"{max(stored - ok, 0) + stored - distinct}"
        )

        with sqlite3.connect(database) as conn:
            current = conn.execute(
                "SELECT count(*) FROM survey_response WHERE status = 'submitted'"
            ).fetchone()[0]
        started = time.perf_counter()
        missing = max(options.export_responses - current, 0)
        total = run_python(
            env, FILL % {"root": str(ROOT), "campaign": int(campaign_id), "count": missing}
        ).strip()
        print(
            f"\nexport data: {total} submitted responses (filled in {time.perf_counter() - started:.0f} s)"
        )
        admin = login_cookie(port, ADMIN_EMAIL, ADMIN_PASSWORD)
        master = server.pid
        for fmt, limit in (("csv", 3.0), ("xlsx", 20.0)):
            seconds, size, growth = timed_download(
                port, f"/surveys/results/export.{fmt}?campaign={campaign_id}", admin, master
            )
            verdict = "ok" if seconds <= limit and growth <= 100 else "OVER"
            print(
                f"E export {fmt.upper():4} {seconds:6.2f} s (limit {limit:.0f} s), {size / 1e6:6.1f} MB, "
                f"worker peak RSS growth {growth:5.1f} MiB (limit 100) → {verdict}"
            )
        rss = max((proc_kib(pid, "VmHWM") for pid in worker_pids(master)), default=0) / 1024
        print(
            f"largest worker peak RSS over the whole run: {rss:.0f} MiB (the app itself is ~95 MiB)"
        )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
