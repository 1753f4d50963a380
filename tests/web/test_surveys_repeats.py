"""A form with an open-ended repeat, a cascading select and scored items, answered with
JavaScript off: add instances, submit, see the score, export one row per repeat instance."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.extensions import db
from app.surveys.models import Audience
from tests.conftest import csrf_token_from, login
from tests.web.matrix.surveys import open_campaign

FORM = """\
id: uji_ulang
version: 1
title: {id: "Uji ulang", en: "Repeat test"}
languages: [id, en]
default_language: id
kind: generic
access: {mode: public}
raters: [stakeholder]
quiz: {pass_percent: 50, show_result: true, show_correct: true}
choice_lists:
  prov:
    - {code: riau, label: "Riau"}
    - {code: papua, label: "Papua"}
  kab:
    - {code: dumai, label: "Dumai", properties: {prov: riau}}
    - {code: sorong, label: "Sorong", properties: {prov: papua}}
pages:
  - id: lokasi
    title: "Lokasi"
    items:
      - {id: prov, type: single, label: "Provinsi", choice_list: prov, required: true}
      - id: kab
        type: single
        label: "Kabupaten/kota di ${prov}"
        choice_list: kab
        choice_filter: "${choice.prov} = ${prov}"
        required: true
  - id: peserta
    title: "Peserta"
    repeat: {min: 1, max: 5, label: "Peserta ${nama}"}
    items:
      - {id: nama, type: text, label: "Nama", required: true}
      - {id: umur, type: integer, label: "Umur ${nama}"}
  - id: tes
    title: "Tes"
    items:
      - {id: ibukota, type: single, label: "Ibu kota Riau?", correct: pku,
         choices: [{code: pku, label: "Pekanbaru"}, {code: dmi, label: "Dumai"}]}
      - {id: hitung, type: integer, label: "3 x 4?", correct: 12, points: 2}
      - {id: jumlah, type: calculate, calculate: "count(${peserta})"}
"""


@pytest.fixture
def repeat_dir(app, tmp_path: Path):
    for path in Path(app.config["SURVEYS_DIR"]).glob("*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    (tmp_path / "uji_ulang.yaml").write_text(FORM, encoding="utf-8")
    before = app.config["SURVEYS_DIR"]
    app.config["SURVEYS_DIR"] = str(tmp_path)
    yield tmp_path
    app.config["SURVEYS_DIR"] = before


def post(client, url: str, data: dict[str, object]):
    html = client.get(url).get_data(as_text=True)
    return client.post(url, data={**data, "csrf_token": csrf_token_from(html)})


def test_repeat_cascade_quiz_and_export(app, client, world, repeat_dir) -> None:
    with app.app_context():
        campaign = open_campaign(world.a.id, "uji_ulang", audience=Audience.STAKEHOLDER)
        public, campaign_id = campaign.public_token, campaign.id
        db.session.commit()
    start = client.get(f"/s/{public}")
    assert start.status_code == 200
    page = start.get_data(as_text=True)
    assert "Dumai" not in page  # nothing chosen yet: the regency list is empty

    # page 1: the province narrows the regencies on the next render (no JavaScript)
    response = post(client, f"/s/{public}", {"prov": "riau", "action": "next"})
    assert response.status_code == 422  # kab is required, and now offered
    html = response.get_data(as_text=True)
    assert "Dumai" in html and "Sorong" not in html
    assert "Kabupaten/kota di riau" in html
    url = next(
        line.split('action="')[1].split('"')[0]
        for line in html.splitlines()
        if 'id="survey-page"' in line
    )
    response = post(client, url, {"prov": "riau", "kab": "dumai", "action": "next"})
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    url = response.headers["Location"]
    assert url.endswith("/p/peserta")

    # the repeat: one instance, "add another" posts the new count and stays on the page
    html = client.get(url).get_data(as_text=True)
    assert 'name="peserta[]"' in html and 'name="nama[1]"' in html
    response = post(
        client, url, {"nama[1]": "<i>Ani</i>", "umur[1]": "30", "peserta[]": ["2", "1"]}
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'name="nama[2]"' in html
    assert "Umur &lt;i&gt;Ani&lt;/i&gt;" in html  # piped as text, escaped
    response = post(
        client,
        url,
        {
            "nama[1]": "<i>Ani</i>",
            "umur[1]": "30",
            "nama[2]": "Budi",
            "umur[2]": "41",
            "peserta[]": "2",
            "action": "next",
        },
    )
    assert response.status_code == 303, response.get_data(as_text=True)[:800]
    url = response.headers["Location"]
    response = post(client, url, {"ibukota": "dmi", "hitung": "12", "action": "next"})
    assert response.status_code == 303
    review = response.headers["Location"]
    html = client.get(review).get_data(as_text=True)
    assert "Budi" in html
    submit = review.replace("/review", "/submit")
    key = html.split('name="submission_key" value="')[1].split('"')[0]
    response = client.post(
        submit, data={"csrf_token": csrf_token_from(html), "submission_key": key}
    )
    assert response.status_code == 303
    done = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'id="quiz-result"' in done and "<strong>2</strong> / 3" in done

    # export: the XLSX has a sheet per repeat with one row per instance; CSV long format
    login(client, "hr@test.example")
    result = client.get(f"/surveys/results/export.xlsx?campaign={campaign_id}")
    assert result.status_code == 200
    content = result.data
    result.close()  # send_file keeps the temporary file open until the response closes
    book = load_workbook(io.BytesIO(content), read_only=True)
    rows = list(book["peserta"].iter_rows(values_only=True))
    assert rows[0] == ("response_id", "instance", "nama", "umur")
    assert [r[1:] for r in rows[1:]] == [(1, "<i>Ani</i>", 30), (2, "Budi", 41)]
    result = client.get(f"/surveys/results/export.csv?campaign={campaign_id}&repeat=peserta")
    assert result.status_code == 200
    lines = list(csv.reader(io.StringIO(result.get_data(as_text=True).lstrip("\ufeff"))))
    assert lines[0] == ["response_id", "instance", "nama", "umur"] and len(lines) == 3
    assert (
        client.get(f"/surveys/results/export.csv?campaign={campaign_id}&repeat=nope").status_code
        == 404
    )
