"""XLSForm-parity workloads against the 30-question submit, in one process and one run (issue 15).

* base: the public 30-question one-page survey of ``surveys_bench`` answered and submitted in one
  POST (session, CSRF, logic, one response and ~30 answer rows), a fresh submission key each;
* parity: a 200-question form — a page of 185 questions and 3 repeated pages of 5 questions
  with 20 instances each (485 answered fields) — whose pages were answered and saved before the
  timed part (the draft is complete); the timed request is the final submit from the review page,
  which evaluates the whole form again and writes every answer row. The whole journey
  (first page, three repeat pages, submit) is timed separately and reported for information.
* import: ``convert_xlsform`` of a generated 1,000-row XLSForm (groups, selects with a shared
  choices list, relevance and constraints), target ≤ 5 s.

Through the WSGI test client (no HTTP server), alternating rounds; target parity/base ≥ 0.5.

    python bench/surveys_parity_bench.py [--requests 150] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TMP = Path(tempfile.mkdtemp(prefix="bangkom-parity-"))
os.environ.update(
    BANGKOM_INSTANCE_DIR=str(TMP),
    SECRET_KEY="bench",
    DATABASE_URL=f"sqlite:///{TMP / 'parity.sqlite3'}",
    SURVEYS_DIR=str(TMP / "surveys"),
    LOG_LEVEL="WARNING",
)
os.environ.pop("REDIS_URL", None)

from bench.surveys_bench import answers, definition_yaml, form_body  # noqa: E402

FLAT = 185
REPEATS = ("rep_a", "rep_b", "rep_c")
INSTANCES = 20


def parity_yaml() -> str:
    """185 flat questions on one page, then 3 repeated pages of 5 questions × 20 instances."""
    lines = [
        "id: bench_parity",
        "version: 1",
        'title: {id: "Uji paritas XLSForm"}',
        "languages: [id]",
        "default_language: id",
        "kind: stakeholder",
        "access: {mode: public, anonymous: true, resume: true}",
        "raters: [stakeholder]",
        "scales:",
        "  s5: {min: 1, max: 5}",
        "choice_lists:",
        "  abcd:",
        *[f'    - {{code: "{c}", label: "Pilihan {c}"}}' for c in "abcd"],
        "pages:",
        "  - id: umum",
        '    title: "Umum"',
        "    items:",
    ]
    for n in range(FLAT):
        kind = ("single", "rating", "integer", "text")[n % 4]
        extra = {
            "single": "choice_list: abcd",
            "rating": "scale: s5",
            "integer": 'constraint: ". >= 0 and . <= 100"',
            "text": "required: false",
        }[kind]
        lines.append(f'      - {{id: f{n:03d}, type: {kind}, label: "Pertanyaan {n}", {extra}}}')
    for page in REPEATS:
        lines += [
            f"  - id: {page}",
            f'    title: "Ulangan {page}"',
            f"    repeat: {{count: {INSTANCES}, max: {INSTANCES}}}",
            "    items:",
            f'      - {{id: {page}_nama, type: text, label: "Nama", required: true}}',
            f'      - {{id: {page}_umur, type: integer, label: "Umur", constraint: ". >= 0"}}',
            f'      - {{id: {page}_pilih, type: single, label: "Pilih", choice_list: abcd}}',
            f'      - {{id: {page}_nilai, type: rating, label: "Nilai", scale: s5}}',
            f'      - {{id: {page}_jumlah, type: decimal, label: "Jumlah"}}',
        ]
    return "\n".join(lines) + "\n"


def flat_body(rng: random.Random) -> list[tuple[str, str]]:
    body = []
    for n in range(FLAT):
        kind = ("single", "rating", "integer", "text")[n % 4]
        value = {
            "single": rng.choice("abcd"),
            "rating": str(rng.randint(1, 5)),
            "integer": str(rng.randint(0, 100)),
            "text": "jawaban singkat",
        }[kind]
        body.append((f"f{n:03d}", value))
    return body


def repeat_body(page: str, rng: random.Random) -> list[tuple[str, str]]:
    body = []
    for i in range(1, INSTANCES + 1):
        body += [
            (f"{page}_nama[{i}]", f"Anggota {i}"),
            (f"{page}_umur[{i}]", str(rng.randint(1, 90))),
            (f"{page}_pilih[{i}]", rng.choice("abcd")),
            (f"{page}_nilai[{i}]", str(rng.randint(1, 5))),
            (f"{page}_jumlah[{i}]", f"{rng.random() * 10:.2f}"),
        ]
    return body


def big_xlsform(path: Path, rows: int = 1000) -> None:
    """A 1,000-row survey sheet: groups of 48 questions, selects, relevance, constraints."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    survey = book.create_sheet("survey")
    survey.append(["type", "name", "label::Indonesian (id)", "relevant", "constraint", "required"])
    written, group = 0, 0
    while written < rows - 2:
        survey.append(["begin group", f"g{group}", f"Bagian {group}", "", "", ""])
        written += 1
        for n in range(48):
            if written >= rows - 2:
                break
            name = f"q{group}_{n}"
            kind = ("select_one abcd", "integer", "text", "select_multiple abcd")[n % 4]
            relevant = f"${{q{group}_0}} != 'd'" if n and n % 4 == 0 else ""
            constraint = ". <= 100" if kind == "integer" else ""
            survey.append([kind, name, f"Pertanyaan {name}", relevant, constraint, "yes"])
            written += 1
        survey.append(["end group", "", "", "", "", ""])
        written += 1
        group += 1
    choices = book.create_sheet("choices")
    choices.append(["list_name", "name", "label::Indonesian (id)"])
    for code in "abcd":
        choices.append(["abcd", code, f"Pilihan {code}"])
    book.save(path)


def timed(call, count: int) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    for number in range(count):
        call(number)
    return count / (time.perf_counter() - started)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=150)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="cProfile the final submit")
    options = parser.parse_args()

    (TMP / "surveys").mkdir()
    (TMP / "surveys" / "bench_publik.yaml").write_text(definition_yaml(), encoding="utf-8")
    (TMP / "surveys" / "bench_parity.yaml").write_text(parity_yaml(), encoding="utf-8")

    from datetime import timedelta

    from werkzeug.datastructures import MultiDict

    from app import create_app
    from app.clock import local_today
    from app.extensions import db
    from app.org.models import Instansi, InstansiKind
    from app.surveys import services
    from app.surveys.models import Audience, Response, ResponseStatus
    from app.surveys.xlsform import convert_xlsform

    portal = create_app()
    tokens: dict[str, str] = {}
    with portal.app_context():
        db.create_all()
        instansi = Instansi(code="kota-bench", name="Kota Bench", kind=InstansiKind.KOTA)
        db.session.add(instansi)
        db.session.flush()
        today = local_today()
        for definition_id in ("bench_publik", "bench_parity"):
            campaign = services.create_campaign(
                instansi.id,
                services.CampaignData(
                    definition_id=definition_id,
                    title=definition_id,
                    audience=Audience.STAKEHOLDER,
                    cycle_year=today.year,
                    opens_on=today - timedelta(days=1),
                    closes_on=today + timedelta(days=30),
                    public_link=True,
                ),
                None,
            )
            services.publish_campaign(campaign)
            tokens[definition_id] = str(campaign.public_token)
        db.session.remove()

    client = portal.test_client()
    page = client.get(f"/s/{tokens['bench_publik']}").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    rng = random.Random(7)
    bodies = [form_body(answers(rng)) for _ in range(100)]

    def post(url: str, data: list[tuple[str, str]], expect: int = 303) -> str:
        response = client.post(url, data=MultiDict([*data, ("csrf_token", csrf)]))
        if response.status_code != expect:
            raise SystemExit(
                f"{url}: {response.status_code} {response.get_data(as_text=True)[:1500]}"
            )
        return response.headers.get("Location", "")

    def base_submit(number: int, run: list[int] = [0]) -> None:  # noqa: B006
        key = f"base{run[0]:02d}x{number:012d}"
        post(
            f"/s/{tokens['bench_publik']}",
            [*bodies[number % 100], ("action", "submit"), ("submission_key", key)],
        )

    flat = [flat_body(rng) for _ in range(20)]
    repeats = {page: [repeat_body(page, rng) for _ in range(20)] for page in REPEATS}

    def answer_pages(number: int) -> str:
        """Answer and save every page of the parity form; the resume link's token."""
        location = post(f"/s/{tokens['bench_parity']}", [*flat[number % 20], ("action", "next")])
        resume = re.search(r"/r/([^/]+)/", location).group(1)  # type: ignore[union-attr]
        for page in REPEATS:
            post(f"/r/{resume}/p/{page}", [*repeats[page][number % 20], ("action", "next")])
        return resume

    def final_submit(resume: str, key: str) -> None:
        post(f"/r/{resume}/submit", [("submission_key", key)])

    def journey(number: int, run: list[int] = [0]) -> None:  # noqa: B006
        final_submit(
            answer_pages(10**6 + run[0] * 10**4 + number), f"journey{run[0]:02d}x{number:012d}"
        )

    if options.profile:
        import cProfile
        import pstats

        drafts = [answer_pages(9 * 10**5 + n) for n in range(options.requests)]
        profiler = cProfile.Profile()
        profiler.enable()
        for n, resume in enumerate(drafts):
            final_submit(resume, f"profile00x{n:012d}")
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
        return 0

    base_rates, parity_rates, journey_rates = [], [], []
    for round_number in range(options.rounds):
        base_submit.__defaults__[0][0] = round_number + 1  # type: ignore[index]
        journey.__defaults__[0][0] = round_number + 1  # type: ignore[index]
        drafts = [answer_pages(round_number * 10**4 + n) for n in range(options.requests)]
        base_rates.append(timed(base_submit, options.requests))
        parity_rates.append(
            timed(
                lambda n, d=drafts, r=round_number: final_submit(d[n], f"parity{r:02d}x{n:012d}"),
                options.requests,
            )
        )
        journey_rates.append(timed(journey, max(options.requests // 5, 5)))

    with portal.app_context():
        submitted = db.session.scalar(
            db.select(db.func.count())
            .select_from(Response)
            .where(Response.status == ResponseStatus.SUBMITTED)
        )
    xlsform = TMP / "big.xlsx"
    big_xlsform(xlsform)
    started = time.perf_counter()
    result = convert_xlsform(xlsform)
    import_seconds = time.perf_counter() - started

    base, parity, whole = (
        statistics.median(base_rates),
        statistics.median(parity_rates),
        statistics.median(journey_rates),
    )
    print(f"{'30-question submit (base)':44} {base:8.1f} req/s")
    print(
        f"{'200-question, 3×20 repeats: final submit':44} {parity:8.1f} req/s   "
        f"ratio {parity / base:.2f} (target ≥ 0.5)"
    )
    print(
        f"{'200-question: whole journey (4 pages+submit)':44} {whole:8.1f} /s      "
        f"ratio {whole / base:.2f} (information)"
    )
    print(
        f"rounds: base {[round(r, 1) for r in base_rates]}, parity "
        f"{[round(r, 1) for r in parity_rates]}, journey {[round(r, 1) for r in journey_rates]}"
    )
    print(f"submitted responses in the database: {submitted}")
    items = sum(len(p["items"]) for p in result.data["pages"])
    print(
        f"import of a 1,000-row XLSForm: {import_seconds:.2f} s (target ≤ 5 s), {items} items, "
        f"{len(result.errors)} errors"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
