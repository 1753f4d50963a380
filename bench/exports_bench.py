"""Survey exports against bare writers over the same query, in one process and one run.

Fills a fresh SQLite database (or DATABASE_URL) with N submitted 30-question responses, then:

* CSV  portal: `surveys.services.csv_rows` through `app.web.exports.csv_chunks` (labels,
       formula-safe cells), exactly what the streamed route sends;
       bare: the same two queries (responses + one JSON object of answers per response, per
       batch of 2,000) written with a plain `csv.writer`;  target portal ≤ 1.2 × bare;
* XLSX portal: `surveys.services.write_xlsx` (codebook sheet included);
       bare: XlsxWriter in constant_memory mode, `write_row` of the same bare rows;
       target portal ≤ 1.5 × bare.

    python bench/exports_bench.py [--responses 100000] [--rounds 2]
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TMP = Path(tempfile.mkdtemp(prefix="bangkom-exports-"))
os.environ.update(
    BANGKOM_INSTANCE_DIR=str(TMP),
    SECRET_KEY="bench",
    SURVEYS_DIR=str(TMP / "surveys"),
    LOG_LEVEL="WARNING",
)
os.environ.setdefault("DATABASE_URL", f"sqlite:///{TMP / 'exports.sqlite3'}")
os.environ.pop("REDIS_URL", None)

from bench.surveys_bench import ADMIN_EMAIL, ADMIN_PASSWORD, FILL, SETUP, definition_yaml  # noqa: E402


def timed(call) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=2)
    options = parser.parse_args()
    (TMP / "surveys").mkdir()
    (TMP / "surveys" / "bench_publik.yaml").write_text(definition_yaml(), encoding="utf-8")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(SETUP % {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}, {})
        campaign_id = int(out.getvalue().split()[0])
        started = time.perf_counter()
        exec(FILL % {"root": str(ROOT), "campaign": campaign_id, "count": options.responses}, {})
    print(f"filled {options.responses} responses in {time.perf_counter() - started:.0f} s")

    import xlsxwriter
    from sqlalchemy import select

    from app import create_app
    from app.access.policy import principal_for
    from app.accounts.models import User
    from app.extensions import db
    from app.surveys.models import Answer, Campaign, Response
    from app.surveys.services import ResultFilters, campaign_definition
    from app.surveys.services.exports import BATCH, answers_object, csv_rows, layout_for, write_xlsx
    from app.web.exports import csv_chunks

    app = create_app()
    with app.test_request_context():
        user = db.session.scalar(select(User).where(User.email == ADMIN_EMAIL))
        principal = principal_for(user)
        campaign = db.session.get(Campaign, campaign_id)
        filters = ResultFilters(campaign_id, None, None, None, "submitted")
        layout = layout_for(campaign, campaign_definition(campaign), "id", True)
        paths = [path for _kind, names, _labels in layout.segments for path in names]

        def bare_rows():  # the same queries, no layout, no labels, no formula safety
            connection = db.session.connection()
            aggregate = answers_object(connection.dialect.name)
            result = connection.execute(
                select(
                    Response.id,
                    Response.submitted_on,
                    Response.language,
                    Response.rater_role,
                    Response.stakeholder_group,
                )
                .where(Response.campaign_id == campaign_id, Response.status == "submitted")
                .order_by(Response.id)
                .execution_options(yield_per=BATCH)
            )
            for batch in result.partitions(BATCH):
                ids = [row[0] for row in batch]
                answers = dict(
                    connection.execute(
                        select(Answer.response_id, aggregate)
                        .where(Answer.response_id.in_(ids))
                        .group_by(Answer.response_id)
                    ).all()
                )
                rows = []
                for row in batch:
                    values = answers.get(row[0]) or {}
                    if isinstance(values, str):
                        values = json.loads(values)
                    rows.append([*row, *(values.get(p) for p in paths)])
                yield rows

        def portal_csv() -> None:
            header, batches = csv_rows(principal, campaign, filters, "id")
            sink = io.StringIO()
            for chunk in csv_chunks(header, batches):
                sink.write(chunk)

        def bare_csv() -> None:
            sink = io.StringIO()
            writer = csv.writer(sink)
            writer.writerow(["id", "day", "lang", "role", "group", *paths])
            for rows in bare_rows():
                writer.writerows(rows)

        def portal_xlsx() -> None:
            write_xlsx(principal, campaign, filters, "id").unlink()

        def bare_xlsx() -> None:
            path = TMP / "bare.xlsx"
            book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
            sheet = book.add_worksheet("Responses")
            sheet.write_row(0, 0, ["id", "day", "lang", "role", "group", *paths])
            number = 1
            for rows in bare_rows():
                for row in rows:
                    sheet.write_row(
                        number, 0, [v.isoformat() if hasattr(v, "isoformat") else v for v in row]
                    )
                    number += 1
            book.close()
            path.unlink()

        results = {}
        for name, portal, bare in (("CSV", portal_csv, bare_csv), ("XLSX", portal_xlsx, bare_xlsx)):
            portal_times, bare_times = [], []
            for _ in range(options.rounds):
                bare_times.append(timed(bare))
                db.session.rollback()
                portal_times.append(timed(portal))
                db.session.rollback()
            results[name] = (statistics.median(portal_times), statistics.median(bare_times))
    targets = {"CSV": 1.2, "XLSX": 1.5}
    print(
        f"{'export of ' + str(options.responses) + ' responses':30} {'portal s':>9} {'bare s':>8} {'ratio':>6} target"
    )
    for name, (portal_s, bare_s) in results.items():
        print(f"{name:30} {portal_s:9.2f} {bare_s:8.2f} {portal_s / bare_s:6.2f} ≤ {targets[name]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
