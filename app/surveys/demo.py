"""Demo surveys: this year's campaigns of the six bundled instruments, with believable answers.

Runs first among the feature seeders, so the needs analysis, training and mentoring seeders
find real ratings. Every employee has a latent competency level (by position type) that the
self-rating overstates a little and supervisors and peers see with noise; stakeholders of
different groups rate the importance of each competency for the OPD they deal with. Rows are
bulk-inserted (one statement per table and campaign), so ``--employees 10000`` stays fast.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from typing import NamedTuple

from sqlalchemy import select, update

from app.accounts.models import User
from app.clock import end_of_day, local_today, utcnow
from app.demo.seed import DEMO_DOMAIN, DemoContext
from app.extensions import db
from app.org.models import Employee, Instansi, OrgUnit, Position, PositionType
from app.surveys import services
from app.surveys.definition import Definition
from app.surveys.expressions import evaluate
from app.surveys.models import (
    Answer,
    Audience,
    Campaign,
    Invitation,
    Response,
    ResponseStatus,
)

COMPETENCIES = ("m01", "m02", "m03", "m04", "m05", "m06", "m07", "m08", "sk01")
LEVEL_BY_TYPE = {
    PositionType.PELAKSANA: 2.2,
    PositionType.FUNGSIONAL: 2.9,
    PositionType.PENGAWAS: 3.1,
    PositionType.ADMINISTRATOR: 3.5,
    PositionType.JPT: 3.9,
}
# Competencies an OPD's service users care most about (raised importance in the consultation).
EMPHASIS = {
    "Kesehatan": ("m05", "m03", "m01"),
    "Pendidikan": ("m06", "m03", "m02"),
    "Kependudukan": ("m05", "m04", "m07"),
    "Kecamatan": ("m05", "m02", "sk01"),
}
STAKEHOLDER_ORGS = [
    ("akademisi", "Universitas Lancang Kuning"),
    ("akademisi", "Universitas Riau"),
    ("akademisi", "Politeknik Negeri Bengkalis"),
    ("akademisi", "STIKes Hang Tuah"),
    ("swasta", "Kamar Dagang dan Industri Kota Dumai"),
    ("swasta", "Asosiasi Pengusaha Indonesia Dumai"),
    ("swasta", "PT Pelabuhan Dumai Berseri"),
    ("swasta", "Koperasi Nelayan Bahari"),
    ("lsm", "Forum Peduli Kesehatan Masyarakat"),
    ("lsm", "Yayasan Pendidikan Anak Pesisir"),
    ("lsm", "Lembaga Bantuan Hukum Dumai"),
    ("lsm", "Forum Anak Kota Dumai"),
    ("masyarakat", "Forum RT/RW Dumai Barat"),
    ("masyarakat", "PKK Kecamatan Dumai Timur"),
]
PUBLIC_GROUPS = (
    ("masyarakat", 0.55),
    ("asn", 0.12),
    ("swasta", 0.12),
    ("akademisi", 0.1),
    ("lsm", 0.08),
    ("other", 0.03),
)
SENTENCES = [
    "Antrean di loket perlu dipercepat dengan sistem nomor antrean daring.",
    "Petugas sudah ramah, tetapi informasi persyaratan sering berubah.",
    "Perlu pelatihan pelayanan prima dan penanganan pengaduan bagi petugas loket.",
    "Layanan daring sering gangguan; sediakan bantuan lewat WhatsApp.",
    "Jam layanan sebaiknya diperpanjang pada hari Sabtu.",
    "Mohon biaya dan waktu penyelesaian ditempel jelas di setiap loket.",
    "Petugas perlu dibekali kemampuan menggunakan aplikasi terbaru.",
    "Koordinasi antarinstansi perlu diperbaiki agar warga tidak bolak-balik.",
    "Pelatihan komunikasi publik dan literasi digital sangat dibutuhkan.",
    "Sikap pelayanan sudah jauh lebih baik dibanding tahun lalu.",
]
STRENGTHS = [
    "Teliti dan dapat dipercaya dalam menyelesaikan tugas.",
    "Mudah bekerja sama dan sering membantu rekan.",
    "Komunikatif saat melayani masyarakat.",
    "Cepat belajar hal baru, terutama aplikasi.",
    "Disiplin waktu dan tuntas dalam bekerja.",
]
DEVELOPMENT = [
    "Perlu meningkatkan kemampuan menyusun laporan dan analisis data.",
    "Sebaiknya mengikuti pelatihan kepemimpinan tingkat pengawas.",
    "Perlu lebih berani mengambil keputusan di lapangan.",
    "Perlu memperdalam regulasi terbaru di bidang tugasnya.",
    "Perlu belajar mengelola waktu saat beban kerja tinggi.",
]
APPLIED = [
    "Menyusun laporan bulanan dengan format baru dari pelatihan.",
    "Menerapkan standar pelayanan dan maklumat layanan di loket.",
    "Memakai teknik analisis masalah untuk memperbaiki alur kerja seksi.",
]
OBSERVED = [
    "Lebih runtut saat menyampaikan laporan dalam rapat.",
    "Mulai membimbing staf baru tanpa diminta.",
    "Keluhan masyarakat ditangani lebih cepat dan tuntas.",
]
TOPICS = [
    "Penyusunan rencana aksi perubahan",
    "Analisis beban kerja unit",
    "Penulisan telaahan staf",
    "Pengelolaan pengaduan masyarakat",
    "Penggunaan aplikasi e-kinerja",
]


@dataclass
class Person:
    id: int
    unit_id: int
    level: float
    email: str | None
    name: str


class DemoInvitation(NamedTuple):
    """The columns of an invitation the seeder answers."""

    id: int | None  # None: a response through the public link
    role: str
    respondent: int | None
    subject: int | None
    unit_id: int | None
    group: str | None


def seed_demo_data(context: DemoContext) -> None:
    """Open this year's campaigns in both demo instansi and fill them with responses."""
    rng = random.Random(context.rng.random())
    today = local_today()
    for instansi in db.session.scalars(select(Instansi).order_by(Instansi.id)):
        people = _people(instansi.id, rng)
        if not people:
            continue
        seeder = _Seeder(rng, today, instansi, people)
        seeder.employee_campaigns()
        if instansi.code == "kota-dumai":
            seeder.stakeholder_campaign(max(150, context.employees // 25))
            seeder.training_campaigns()
            seeder.mentoring_campaign()
        db.session.commit()


def _people(instansi_id: int, rng: random.Random) -> dict[int, Person]:
    rows = db.session.execute(
        select(
            Employee.id, Employee.org_unit_id, Position.position_type, Employee.email, Employee.name
        )
        .outerjoin(Position, Employee.position_id == Position.id)
        .where(Employee.instansi_id == instansi_id, Employee.active.is_(True))
    )
    return {
        eid: Person(
            eid,
            unit,
            min(max(LEVEL_BY_TYPE.get(kind, 2.5) + rng.gauss(0, 0.55), 1.0), 5.0),
            email,
            name,
        )
        for eid, unit, kind, email, name in rows
    }


def _clip(value: float, low: int = 1, high: int = 5) -> int:
    return int(min(max(round(value), low), high))


class _Seeder:
    def __init__(
        self, rng: random.Random, today: date, instansi: Instansi, people: dict[int, Person]
    ) -> None:
        self.rng = rng
        self.today = today
        self.instansi = instansi
        self.people = people
        self.opens_on = today - timedelta(days=21)
        self.closes_on = today + timedelta(days=24)
        self.batch = 0

    # ---------------------------------------------------------------- campaigns

    def campaign(
        self,
        definition_id: str,
        title: str,
        audience: Audience,
        public_link: bool = False,
        anonymous: bool = False,
    ) -> tuple[Campaign, Definition]:
        campaign = services.create_campaign(
            self.instansi.id,
            services.CampaignData(
                definition_id=definition_id,
                title=f"{title} {self.today.year}",
                audience=audience,
                cycle_year=self.today.year,
                opens_on=self.opens_on,
                closes_on=self.closes_on,
                anonymous=anonymous,
                public_link=public_link,
            ),
            None,
        )
        services.publish_campaign(campaign, self.today)
        return campaign, services.campaign_definition(campaign)

    def invitations(self, campaign: Campaign) -> list[DemoInvitation]:
        return [
            DemoInvitation(*row)
            for row in db.session.execute(
                select(
                    Invitation.id,
                    Invitation.rater_role,
                    Invitation.respondent_employee_id,
                    Invitation.subject_employee_id,
                    Invitation.org_unit_id,
                    Invitation.stakeholder_group,
                )
                .where(Invitation.campaign_id == campaign.id)
                .order_by(Invitation.id)
            )
        ]

    def employee_campaigns(self) -> None:
        self_campaign, definition = self.campaign(
            "penilaian_diri_kompetensi", "Penilaian Diri Kompetensi", Audience.SELF
        )
        self.respond(
            self_campaign,
            definition,
            self.invitations(self_campaign),
            0.76,
            0.08,
            self.self_answers,
        )
        for audience, title, rate in (
            (Audience.SUPERVISOR, "Penilaian Kompetensi oleh Atasan", 0.72),
            (Audience.PEER, "Penilaian Kompetensi oleh Rekan Kerja", 0.55),
        ):
            campaign, definition = self.campaign("penilaian_atasan_rekan", title, audience)
            noise = 0.6 if audience == Audience.SUPERVISOR else 0.8
            self.respond(
                campaign,
                definition,
                self.invitations(campaign),
                rate,
                0.05,
                partial(self.rating_answers, noise=noise),
            )

    def stakeholder_campaign(self, public_count: int) -> None:
        campaign, definition = self.campaign(
            "konsultasi_pemangku_kepentingan",
            "Konsultasi Publik Layanan dan Kompetensi Aparatur",
            Audience.STAKEHOLDER,
            public_link=True,
            anonymous=True,
        )
        opds = list(
            db.session.execute(
                select(OrgUnit.id, OrgUnit.name).where(
                    OrgUnit.instansi_id == self.instansi.id, OrgUnit.parent_id.is_(None)
                )
            )
        )
        rows = []
        for index, (group, organisation) in enumerate(STAKEHOLDER_ORGS):
            slug = organisation.lower().replace(" ", ".").replace("/", "")[:30]
            rows.append(
                {
                    "rater_role": "stakeholder",
                    "email": f"humas{index}@{slug}.example",
                    "name": f"Humas {organisation}"[:200],
                    "organisation": organisation,
                    "stakeholder_group": group,
                    "org_unit_id": self.rng.choice(opds)[0],
                }
            )
        services.insert_invitations(campaign, rows)
        db.session.execute(
            update(Invitation).where(Invitation.campaign_id == campaign.id).values(sent_at=utcnow())
        )
        unit_names = dict(opds)
        self.respond(
            campaign,
            definition,
            self.invitations(campaign),
            0.7,
            0.1,
            lambda inv: self.stakeholder_answers(inv.group, unit_names.get(inv.unit_id or 0, "")),
        )
        mitra = db.session.scalar(select(User).where(User.email == f"mitra@{DEMO_DOMAIN}"))
        if mitra is not None:  # the demo stakeholder login has this survey waiting
            services.insert_invitations(
                campaign,
                [
                    {
                        "rater_role": "stakeholder",
                        "email": mitra.email,
                        "name": mitra.display_name,
                        "organisation": mitra.organisation,
                        "stakeholder_group": "akademisi",
                    }
                ],
            )
        public = []
        for _ in range(public_count):
            unit_id, _unit_name = self.rng.choice(opds)
            public.append(DemoInvitation(None, "stakeholder", None, None, unit_id, None))
        self.respond(
            campaign,
            definition,
            public,
            1.0,
            0.0,
            lambda inv: self.stakeholder_answers(None, unit_names.get(inv.unit_id or 0, "")),
        )

    def training_campaigns(self) -> None:
        reaction, definition = self.campaign(
            "evaluasi_reaksi_pelatihan",
            "Evaluasi Reaksi Pelatihan",
            Audience.PARTICIPANT,
            anonymous=True,
        )
        participants = self.rng.sample(sorted(self.people), max(len(self.people) // 20, 10))
        services.insert_invitations(
            reaction,
            [self.person_invitation("participant", pid, pid) for pid in participants],
        )
        self.respond(
            reaction, definition, self.invitations(reaction), 0.82, 0.04, self.reaction_answers
        )
        follow_up, definition = self.campaign(
            "tindak_lanjut_90_hari", "Evaluasi Pascapelatihan 90 Hari", Audience.PARTICIPANT
        )
        supervisors = services.supervisors_by_employee(self.instansi.id)
        rows = []
        for pid in participants[: max(len(participants) // 2, 5)]:
            rows.append(self.person_invitation("participant", pid, pid))
            boss = supervisors.get(pid)
            if boss is not None and boss in self.people:
                rows.append(self.person_invitation("supervisor", boss, pid))
        services.insert_invitations(follow_up, rows)
        self.respond(
            follow_up, definition, self.invitations(follow_up), 0.6, 0.1, self.follow_up_answers
        )

    def mentoring_campaign(self) -> None:
        campaign, definition = self.campaign(
            "umpan_balik_mentoring", "Umpan Balik Sesi Mentoring", Audience.MENTEE
        )
        mentees = self.rng.sample(sorted(self.people), min(24, len(self.people)))
        services.insert_invitations(
            campaign, [self.person_invitation("mentee", pid, pid) for pid in mentees]
        )
        self.respond(
            campaign, definition, self.invitations(campaign), 0.7, 0.1, self.mentoring_answers
        )

    def person_invitation(self, role: str, respondent: int, subject: int) -> dict[str, object]:
        person, about = self.people[respondent], self.people[subject]
        return {
            "rater_role": role,
            "respondent_employee_id": respondent,
            "subject_employee_id": subject,
            "org_unit_id": about.unit_id,
            "email": person.email,
            "name": person.name,
        }

    # ---------------------------------------------------------------- responses

    def respond(
        self,
        campaign: Campaign,
        definition: Definition,
        invitations: list[DemoInvitation],
        submit_rate: float,
        draft_rate: float,
        answers_for: Callable[[DemoInvitation], dict[str, object]],
    ) -> None:
        """Bulk-insert responses: a share submitted (with answer rows), a share in progress."""
        submitted, drafts, done_invitations = [], [], []
        window = max((self.today - self.opens_on).days, 0)
        for invitation in invitations:
            invitation_id, role, respondent, subject, unit_id, group = invitation
            roll = self.rng.random()
            if roll >= submit_rate + draft_rate:
                continue
            values = answers_for(invitation)
            for item in definition.items:  # calculated values, as the logic would store them
                if item.calculate is not None:
                    values[item.id] = evaluate(item.calculate, values)
            day = self.opens_on + timedelta(days=self.rng.randint(0, window))
            row = {
                "campaign_id": campaign.id,
                "definition_id": campaign.definition_id,
                "definition_version": campaign.definition_version,
                "language": "id",
                "rater_role": role,
                "respondent_employee_id": None if campaign.anonymous else respondent,
                "subject_employee_id": subject,
                "org_unit_id": unit_id,
                "stakeholder_group": group or _group(values),
                "invitation_id": invitation_id,
                "resume_token_hash": None,
                "submission_key": None,
                "status": ResponseStatus.SUBMITTED,
                "draft_answers": "{}",
                "current_page": None,
                "started_on": day,
                "submitted_on": day,
                "submitted_at": None,
                "updated_at": None,
            }
            if roll < submit_rate:
                if campaign.anonymous:
                    row["invitation_id"] = None
                else:
                    row["submitted_at"] = end_of_day(day) - timedelta(
                        minutes=self.rng.randint(60, 900)
                    )
                    row["updated_at"] = row["submitted_at"]
                if invitation_id is not None:
                    done_invitations.append(invitation_id)
                submitted.append((row, values))
            else:
                first = definition.pages[0]
                first_page = {
                    key: value
                    for key, value in values.items()
                    if key.split(".")[0] in {item.id for item in first.items}
                    and not isinstance(value, float)
                }
                row.update(
                    status=ResponseStatus.DRAFT,
                    submitted_on=None,
                    draft_answers=json.dumps(first_page, ensure_ascii=False),
                    current_page=first.id,
                )
                if invitation_id is None:
                    row["resume_token_hash"] = services.sha256_hex(services.new_token())
                drafts.append(row)
        table = Response.__table__
        if drafts:
            db.session.execute(table.insert(), drafts)
        if submitted:
            # Keys mark the rows, so their ids come back in one query (RETURNING with a
            # guaranteed order would cost one statement per row on SQLite).
            self.batch += 1
            prefix = f"demo-{campaign.id}-{self.batch}-"
            keys: dict[str | None, int] = {}  # read back by the nullable column
            for number, (row, _) in enumerate(submitted):
                row["submission_key"] = marker = f"{prefix}{number:06d}"
                keys[marker] = number
            db.session.execute(table.insert(), [row for row, _ in submitted])
            answer_rows: list[dict[str, object]] = []
            for response_id, key in db.session.execute(
                select(Response.id, Response.submission_key).where(
                    Response.campaign_id == campaign.id,
                    Response.submission_key.like(f"{prefix}%"),
                )
            ):
                values = submitted[keys[key]][1]
                answer_rows.extend(services.answer_rows(definition, response_id, values))
            bulk_insert_answers(answer_rows)
        if done_invitations:
            for start in range(0, len(done_invitations), 500):
                db.session.execute(
                    update(Invitation)
                    .where(Invitation.id.in_(done_invitations[start : start + 500]))
                    .values(completed_on=self.today, sent_at=utcnow())
                )

    # ------------------------------------------------------------------ answers

    def choose(self, codes: list[str], low: int, high: int) -> list[str]:
        return sorted(
            self.rng.sample(codes, self.rng.randint(low, min(high, len(codes)))), key=codes.index
        )

    def self_answers(self, invitation: DemoInvitation) -> dict[str, object]:
        assert invitation.respondent is not None  # a self-assessment is always named
        person = self.people[invitation.respondent]
        values: dict[str, object] = {}
        if self.rng.random() < 0.92:
            values["jabatan_sesuai"] = "ya"
        else:
            values["jabatan_sesuai"] = "tidak"
            values["koreksi_jabatan"] = self.rng.choice(
                ["Pengadministrasi Umum", "Analis Data", "Pranata Komputer"]
            )
        ratings = {
            code: _clip(person.level + 0.35 + self.rng.gauss(0, 0.7)) for code in COMPETENCIES
        }
        values.update(ratings)
        weakest = sorted(COMPETENCIES, key=lambda code: (ratings[code], self.rng.random()))
        values["prioritas_pengembangan"] = sorted(
            weakest[: self.rng.randint(1, 3)], key=COMPETENCIES.index
        )
        values["bentuk_pengembangan"] = self.choose(
            ["klasikal", "elearning", "coaching", "magang", "seminar", "mandiri"], 1, 3
        )
        values["jp_tahun_lalu"] = max(0, int(self.rng.gauss(22, 12)))
        if self.rng.random() < 0.2:
            values["catatan"] = self.rng.choice(DEVELOPMENT)
        return values

    def rating_answers(self, invitation: DemoInvitation, noise: float) -> dict[str, object]:
        subject = self.people.get(invitation.subject) if invitation.subject is not None else None
        level = subject.level if subject else 3.0
        values: dict[str, object] = {
            "lama_bekerja_sama": self.rng.choices(
                ["kurang_6_bulan", "6_12_bulan", "1_3_tahun", "lebih_3_tahun"], [1, 2, 4, 3]
            )[0],
            "cukup_mengamati": "ya" if self.rng.random() < 0.93 else "tidak",
        }
        if values["cukup_mengamati"] == "ya":
            for code in COMPETENCIES:
                values[code] = _clip(level + self.rng.gauss(0, noise))
            if self.rng.random() < 0.25:
                values["kekuatan"] = self.rng.choice(STRENGTHS)
            if self.rng.random() < 0.25:
                values["saran_pengembangan"] = self.rng.choice(DEVELOPMENT)
        return values

    def stakeholder_answers(self, group: str | None, unit_name: str) -> dict[str, object]:
        rng = self.rng
        if group is None:
            group = rng.choices([g for g, _ in PUBLIC_GROUPS], [w for _, w in PUBLIC_GROUPS])[0]
        values: dict[str, object] = {"kelompok": group}
        if group == "other":
            values["kelompok.other"] = rng.choice(["Tokoh agama", "Pelaku UMKM", "Mahasiswa"])
        if group in ("akademisi", "swasta", "lsm"):
            values["nama_lembaga"] = next(org for g, org in STAKEHOLDER_ORGS if g == group)
        if group == "asn" and unit_name:
            values["unit_asn"] = unit_name
        values["usia"] = rng.choice(["u_lt25", "u25_39", "u40_54", "u55"])
        values["jenis_kelamin"] = rng.choice(["perempuan", "laki_laki", "tidak_disebut"])
        services_used = self.choose(
            [
                "adminduk",
                "perizinan",
                "kesehatan",
                "pendidikan",
                "sosial",
                "pajak",
                "pu_perhubungan",
                "tenaga_kerja_umkm",
            ],
            1,
            3,
        )
        if rng.random() < 0.04:
            services_used.append("lainnya")
            values["layanan_lain"] = "Layanan pemakaman"
        values["layanan_digunakan"] = services_used
        if len(services_used) > 1:
            values["layanan_utama"] = rng.choice(services_used)
        if rng.random() < 0.3 and unit_name:
            values["nama_unit"] = unit_name
        values["kanal"] = self.choose(
            ["langsung", "mpp", "daring", "telepon_wa", "perantara"], 1, 2
        )
        values["frekuensi"] = rng.choice(["pertama", "tahunan", "bulanan", "mingguan"])
        values["kepuasan"] = _clip(rng.gauss(3.3, 0.9))
        values["pernah_mengadu"] = "ya" if rng.random() < 0.25 else "tidak"
        if values["pernah_mengadu"] == "ya":
            values["pengaduan_ditangani"] = rng.choice(["tuntas", "sebagian", "tidak_ditanggapi"])
        priorities = rng.sample(
            [
                "kecepatan",
                "biaya",
                "persyaratan",
                "keramahan",
                "kompetensi_petugas",
                "digital",
                "pengaduan",
                "aksesibilitas",
                "bebas_pungli",
            ],
            3,
        )
        for index, code in enumerate(priorities, start=1):
            values[f"prioritas_{index}"] = code
        emphasis = next((codes for key, codes in EMPHASIS.items() if key in unit_name), ())
        for code in COMPETENCIES:
            base = 4.4 if code in emphasis else 3.7
            values[f"kepentingan.{code}.imp"] = _clip(base + rng.gauss(0, 0.7))
        if rng.random() < 0.3:
            values["pelatihan_diusulkan"] = rng.choice(SENTENCES[2:9])
        if rng.random() < 0.3:
            values["saran_layanan"] = rng.choice(SENTENCES)
        chosen = self.choose(["situs_web", "media_sosial", "papan_pengumuman", "forum_warga"], 0, 2)
        if chosen:
            values["informasi_hasil"] = chosen
        return values

    def agree(self, mean: float = 4.0) -> int:
        return _clip(self.rng.gauss(mean, 0.7))

    def reaction_answers(self, invitation: DemoInvitation) -> dict[str, object]:
        rng = self.rng
        values: dict[str, object] = {}
        for row in ("sesuai_tujuan", "relevan_tugas", "sistematis", "mudah_dipahami", "mutakhir"):
            values[f"materi.{row}.nilai"] = self.agree(4.0)
        for row in ("penguasaan", "penyampaian", "interaksi", "contoh_praktis", "waktu"):
            values[f"pengajar.{row}.nilai"] = self.agree(4.1)
        values["relevansi_pekerjaan"] = self.agree(4.0)
        plan = rng.choices(["sebulan", "tiga_bulan", "belum_tahu", "tidak_dapat"], [5, 3, 2, 0.4])[
            0
        ]
        values["rencana_penerapan"] = plan
        if plan == "tidak_dapat":
            values["alasan_tidak_diterapkan"] = "Materi belum sesuai dengan tugas saya saat ini."
        method = rng.choice(["klasikal", "daring", "campuran"])
        values["metode"] = method
        if method in ("klasikal", "campuran"):
            for row in ("ruang", "alat_bantu", "konsumsi", "panitia"):
                values[f"fasilitas_kelas.{row}.nilai"] = self.agree(3.8)
        if method in ("daring", "campuran"):
            for row in ("platform", "kualitas_av", "bahan_digital", "dukungan_teknis"):
                values[f"fasilitas_daring.{row}.nilai"] = self.agree(3.6)
        values["kepuasan_umum"] = self.agree(4.0)
        values["rekomendasi"] = _clip(rng.gauss(8, 1.5), 0, 10)
        if rng.random() < 0.3:
            values["saran_perbaikan"] = "Waktu praktik perlu ditambah."
        return values

    def follow_up_answers(self, invitation: DemoInvitation) -> dict[str, object]:
        rng = self.rng
        if invitation.role == "supervisor":
            values: dict[str, object] = {
                "peran": "atasan",
                "perubahan_perilaku": self.agree(3.5),
                "dampak_unit": self.agree(3.6),
                "kebutuhan_lanjutan": self.choose(
                    ["pelatihan_lanjutan", "mentoring", "penugasan_khusus"], 1, 2
                ),
            }
            if int(values["perubahan_perilaku"]) >= 3:  # type: ignore[call-overload]
                values["contoh_perubahan"] = rng.choice(OBSERVED)
            support = self.choose(["penugasan", "coaching", "sarana", "berbagi"], 0, 2)
            if support:
                values["dukungan_diberikan"] = support
            return values
        values = {
            "peran": "peserta",
            "frekuensi_penerapan": self.agree(3.4),
            "dukungan_atasan": self.agree(3.7),
            "peningkatan_kinerja": self.agree(3.8),
        }
        obstacles = self.choose(
            ["kesempatan", "dukungan_atasan", "sarana", "beban_kerja", "materi"], 0, 2
        )
        values["hambatan"] = obstacles or ["tidak_ada"]
        if int(values["frekuensi_penerapan"]) >= 3:  # type: ignore[call-overload]
            values["contoh_penerapan"] = rng.choice(APPLIED)
        return values

    def mentoring_answers(self, invitation: DemoInvitation) -> dict[str, object]:
        rng = self.rng
        session_day = self.today - timedelta(days=rng.randint(1, 20))
        values: dict[str, object] = {
            "tanggal_sesi": session_day.isoformat(),
            "bentuk_sesi": rng.choice(["tatap_muka", "daring", "telepon"]),
            "durasi_menit": rng.choice([30, 45, 60, 90, 120]),
            "topik": rng.choice(TOPICS),
            "manfaat": self.agree(4.1),
            "kesiapan_mentor": self.agree(4.2),
            "kejelasan_tindak_lanjut": self.agree(3.8),
        }
        going = rng.choices(["ya", "sebagian", "tidak"], [15, 4, 1])[0]
        values["berjalan_baik"] = going
        if going != "ya":
            values["kendala"] = "Jadwal mentor dan mentee sering bentrok."
        if going == "tidak":
            values["perlu_koordinator"] = "ya"
        if rng.random() < 0.5:
            values["sesi_berikutnya"] = (session_day + timedelta(days=14)).isoformat()
        return values


ANSWER_COLUMNS = (
    "response_id",
    "field",
    "item_id",
    "row_id",
    "column_id",
    "value_number",
    "value_text",
)


def bulk_insert_answers(rows: list[dict[str, object]]) -> None:
    """Answer rows straight to the driver's executemany: plain ints, floats and strings need
    no type processing, and skipping it halves the time of the largest demo table."""
    connection = db.session.connection()
    compiled = Answer.__table__.insert().compile(
        dialect=connection.dialect, column_keys=list(ANSWER_COLUMNS)
    )
    if compiled.positional:
        order = compiled.positiontup or []
        params: list[object] = [tuple(row[name] for name in order) for row in rows]
    else:
        params = rows  # type: ignore[assignment]
    connection.exec_driver_sql(str(compiled), params)


def _group(values: dict[str, object]) -> str | None:
    value = values.get(services.GROUP_ITEM)
    return value if isinstance(value, str) else None


def quiz_answers(
    definition: Definition, rng: random.Random, correct_rate: float
) -> dict[str, object]:
    """Answers to a scored test where each item is right with probability `correct_rate`."""
    values: dict[str, object] = {}
    for item in definition.scored_items:
        codes = [choice.code for choice in item.choices]
        right = rng.random() < correct_rate
        if item.type == "multiple":
            wrong = [c for c in codes if c not in item.correct] or codes
            values[item.id] = list(item.correct) if right else [rng.choice(wrong)]
        elif codes:
            wrong = [c for c in codes if c not in item.correct] or codes
            values[item.id] = item.correct[0] if right and item.correct else rng.choice(wrong)
    return values


def respond_to(
    campaign_id: int, seed: float, submit_rate: float, correct_rate: float = 0.7
) -> None:
    """Demo responses for a campaign another feature opened (evaluation requests): the bundled
    reaction and follow-up instruments get their usual answers, scored tests `correct_rate`."""
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None:
        return
    rng = random.Random(seed)
    today = local_today()
    instansi = db.session.get(Instansi, campaign.instansi_id)
    assert instansi is not None
    seeder = _Seeder(rng, today, instansi, _people(instansi.id, rng))
    seeder.opens_on = campaign.opens_on
    definition = services.campaign_definition(campaign)
    answers_for: Callable[[DemoInvitation], dict[str, object]]
    if campaign.definition_id == "evaluasi_reaksi_pelatihan":
        answers_for = seeder.reaction_answers
    elif campaign.definition_id == "tindak_lanjut_90_hari":
        answers_for = seeder.follow_up_answers
    else:
        answers_for = lambda _invitation: quiz_answers(definition, rng, correct_rate)  # noqa: E731
    seeder.respond(
        campaign, definition, seeder.invitations(campaign), submit_rate, 0.0, answers_for
    )
