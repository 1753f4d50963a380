"""Seed data of the competency dictionary and the default required levels (editable data).

Level descriptions are Bangkom's own wording of the 1–5 proficiency ladder (L1 own work, L2
self and team, L3 drives the unit, L4 develops it across the organisation, L5 strategic).
"""

from __future__ import annotations

from typing import TypedDict

from app.org.models import Jenjang, PositionType


class TechnicalEntry(TypedDict):
    """One competency of the seed dictionary: names, definition, the five level descriptions."""

    code: str
    name_id: str
    name_en: str
    definition_id: str
    definition_en: str
    levels: list[tuple[str, str]]  # (Indonesian, English) for levels 1 to 5


class CompetencyEntry(TechnicalEntry):
    kind: str  # a CompetencyKind value


# The nine core competencies (manajerial and sosial kultural) every instansi's dictionary
# starts with; survey definitions name them by code (see `competency_codes`).
CORE_COMPETENCIES: dict[str, dict[str, str]] = {
    "M.01": {"id": "Integritas", "en": "Integrity"},
    "M.02": {"id": "Kerja Sama", "en": "Cooperation"},
    "M.03": {"id": "Komunikasi", "en": "Communication"},
    "M.04": {"id": "Orientasi pada Hasil", "en": "Results Orientation"},
    "M.05": {"id": "Pelayanan Publik", "en": "Public Service"},
    "M.06": {"id": "Pengembangan Diri dan Orang Lain", "en": "Developing Self and Others"},
    "M.07": {"id": "Mengelola Perubahan", "en": "Managing Change"},
    "M.08": {"id": "Pengambilan Keputusan", "en": "Decision Making"},
    "SK.01": {"id": "Perekat Bangsa", "en": "National Unifier"},
}

# code → (definition id, definition en, [(level description id, en) × 5])
CORE_DESCRIPTIONS: dict[str, tuple[str, str, list[tuple[str, str]]]] = {
    "M.01": (
        "Bertindak jujur, taat aturan, dan sejalan dengan nilai serta etika jabatan.",
        "Acting honestly, lawfully and in line with the values and ethics of public office.",
        [
            (
                "Jujur dan taat aturan dalam pekerjaannya sendiri.",
                "Is honest and follows the rules in their own work.",
            ),
            (
                "Menolak pelanggaran etika dan mengingatkan rekan kerja.",
                "Refuses ethical breaches and speaks up to colleagues.",
            ),
            (
                "Menjaga agar unit kerjanya bekerja sesuai nilai dan aturan.",
                "Keeps their unit working by its values and the rules.",
            ),
            (
                "Membangun sistem pencegahan korupsi di lingkup organisasinya.",
                "Builds corruption-prevention systems across the organisation.",
            ),
            (
                "Menjadi rujukan integritas daerah dan berani mengambil risiko demi kebenaran.",
                "Is the region's reference for integrity and takes risks to do what is right.",
            ),
        ],
    ),
    "M.02": (
        "Bekerja bersama orang lain di dalam dan di luar unit untuk mencapai tujuan bersama.",
        "Working with others inside and outside the unit towards shared goals.",
        [
            ("Menyelesaikan bagiannya dalam kerja tim.", "Completes their share of team work."),
            (
                "Berbagi informasi dan menghargai pendapat anggota tim.",
                "Shares information and respects team members' views.",
            ),
            (
                "Menggerakkan kerja sama antarunit untuk sasaran unitnya.",
                "Drives cooperation between units for the unit's goals.",
            ),
            (
                "Membangun kemitraan dengan pihak di luar organisasi.",
                "Builds partnerships with parties outside the organisation.",
            ),
            (
                "Menyatukan instansi dan pemangku kepentingan untuk agenda daerah.",
                "Brings institutions and stakeholders together behind the region's agenda.",
            ),
        ],
    ),
    "M.03": (
        "Menyampaikan dan menerima pesan dengan jelas, tepat, dan saling menghormati.",
        "Sending and receiving messages clearly, accurately and respectfully.",
        [
            (
                "Menyampaikan informasi dengan jelas dan menyimak dengan baik.",
                "Passes on information clearly and listens carefully.",
            ),
            (
                "Menyesuaikan cara bicara dan menulis dengan lawan bicaranya.",
                "Adapts how they speak and write to their audience.",
            ),
            (
                "Menjelaskan gagasan yang rumit secara runtut dan meyakinkan.",
                "Explains complex ideas in an orderly, convincing way.",
            ),
            (
                "Menangani negosiasi dan pembicaraan yang sensitif.",
                "Handles negotiations and sensitive conversations.",
            ),
            (
                "Menentukan strategi komunikasi organisasi dan mewakilinya di forum publik.",
                "Sets the organisation's communication strategy and represents it in public.",
            ),
        ],
    ),
    "M.04": (
        "Berfokus pada hasil kerja yang bermutu dan tepat waktu.",
        "Focusing on good-quality results delivered on time.",
        [
            (
                "Menyelesaikan tugas sesuai standar dan tenggat.",
                "Finishes tasks to standard and on time.",
            ),
            (
                "Menetapkan dan memantau target kerjanya sendiri.",
                "Sets and tracks their own work targets.",
            ),
            (
                "Memperbaiki cara kerja unit agar hasilnya meningkat.",
                "Improves how the unit works so its results rise.",
            ),
            (
                "Menetapkan target menantang dan mengatur sumber daya untuk mencapainya.",
                "Sets stretching targets and organises the resources to reach them.",
            ),
            (
                "Menaikkan kinerja organisasi melalui inovasi dan standar yang tinggi.",
                "Lifts organisational performance through innovation and high standards.",
            ),
        ],
    ),
    "M.05": (
        "Melayani masyarakat secara adil, ramah, dan responsif.",
        "Serving the public fairly, courteously and responsively.",
        [
            ("Melayani dengan sopan dan sesuai prosedur.", "Serves politely and by the procedure."),
            (
                "Memahami kebutuhan pengguna layanan dan menanggapi keluhan.",
                "Understands service users' needs and answers complaints.",
            ),
            (
                "Memperbaiki proses layanan berdasarkan masukan pengguna.",
                "Improves service processes from user feedback.",
            ),
            (
                "Merancang standar dan inovasi layanan.",
                "Designs service standards and innovations.",
            ),
            (
                "Membangun budaya pelayanan prima di seluruh organisasi.",
                "Builds a culture of excellent service across the organisation.",
            ),
        ],
    ),
    "M.06": (
        "Terus belajar dan membantu orang lain berkembang.",
        "Learning continuously and helping others grow.",
        [
            (
                "Mengenali kebutuhan belajarnya dan mengikuti pengembangan.",
                "Knows their learning needs and takes part in development.",
            ),
            (
                "Belajar mandiri dan berbagi pengetahuan dengan rekan.",
                "Learns on their own and shares knowledge with colleagues.",
            ),
            (
                "Membimbing rekan atau bawahan dan memberi umpan balik.",
                "Coaches colleagues or staff and gives them feedback.",
            ),
            (
                "Menyusun program pengembangan tim dari analisis kebutuhan.",
                "Plans the team's development from a needs analysis.",
            ),
            (
                "Membangun budaya belajar dan kaderisasi di organisasi.",
                "Builds a learning culture and a talent pipeline.",
            ),
        ],
    ),
    "M.07": (
        "Menyesuaikan diri dengan perubahan dan ikut menggerakkannya.",
        "Adapting to change and helping to drive it.",
        [
            ("Terbuka terhadap cara kerja baru.", "Is open to new ways of working."),
            (
                "Mendukung perubahan dan membantu rekan beradaptasi.",
                "Supports change and helps colleagues adapt.",
            ),
            (
                "Mengusulkan dan menjalankan perubahan di unitnya.",
                "Proposes and carries out change in their unit.",
            ),
            ("Memimpin perubahan dan mengelola penolakan.", "Leads change and manages resistance."),
            (
                "Merancang transformasi organisasi yang berkelanjutan.",
                "Designs lasting organisational transformation.",
            ),
        ],
    ),
    "M.08": (
        "Mengambil keputusan tepat waktu berdasarkan data dan dapat dipertanggungjawabkan.",
        "Making timely, evidence-based and accountable decisions.",
        [
            (
                "Mengambil keputusan rutin sesuai prosedur.",
                "Makes routine decisions by the procedure.",
            ),
            (
                "Menimbang informasi yang relevan sebelum memutuskan.",
                "Weighs the relevant information before deciding.",
            ),
            (
                "Memilih di antara beberapa pilihan dengan memperhitungkan risiko.",
                "Chooses between options while weighing the risks.",
            ),
            (
                "Memutuskan masalah sulit dengan informasi terbatas.",
                "Decides hard questions on limited information.",
            ),
            (
                "Mengambil keputusan strategis yang berdampak luas bagi daerah.",
                "Takes strategic decisions with wide impact on the region.",
            ),
        ],
    ),
    "SK.01": (
        "Menjaga persatuan dan menghargai keberagaman dalam bertugas.",
        "Upholding unity and respecting diversity at work.",
        [
            (
                "Menghargai perbedaan suku, agama, budaya, dan pandangan.",
                "Respects differences of ethnicity, religion, culture and views.",
            ),
            (
                "Memperlakukan semua orang secara adil dan inklusif.",
                "Treats everyone fairly and inclusively.",
            ),
            (
                "Mendorong unitnya bekerja sama di tengah keberagaman.",
                "Encourages the unit to work together across differences.",
            ),
            (
                "Mencegah dan meredakan konflik yang bersumber dari perbedaan.",
                "Prevents and calms conflicts rooted in differences.",
            ),
            (
                "Menjadi perekat persatuan di tingkat daerah.",
                "Acts as a unifying figure across the region.",
            ),
        ],
    ),
}

assert set(CORE_DESCRIPTIONS) == set(CORE_COMPETENCIES)


def core_entries() -> list[CompetencyEntry]:
    """The nine core competencies with their names and level descriptions."""
    entries: list[CompetencyEntry] = []
    for code, names in CORE_COMPETENCIES.items():
        definition_id, definition_en, levels = CORE_DESCRIPTIONS[code]
        entries.append(
            {
                "code": code,
                "kind": "sosial_kultural" if code.startswith("SK") else "manajerial",
                "name_id": names["id"],
                "name_en": names["en"],
                "definition_id": definition_id,
                "definition_en": definition_en,
                "levels": levels,
            }
        )
    return entries


# A few technical competencies of the kind OPDs add per urusan (used by the demo).
DEMO_TECHNICAL: list[TechnicalEntry] = [
    {
        "code": "T.KES.01",
        "name_id": "Manajemen Pelayanan Kesehatan Primer",
        "name_en": "Primary Health Care Management",
        "definition_id": "Merencanakan dan mengelola layanan kesehatan dasar di puskesmas.",
        "definition_en": "Planning and running basic health services in community health centres.",
        "levels": [
            (
                "Menjalankan prosedur layanan dasar sesuai SOP.",
                "Carries out basic service procedures by the SOP.",
            ),
            (
                "Mengelola satu program layanan dan datanya.",
                "Runs one service programme and its data.",
            ),
            (
                "Mengoordinasikan beberapa program layanan di satu puskesmas.",
                "Coordinates several service programmes in one centre.",
            ),
            (
                "Menyusun kebijakan layanan kesehatan primer tingkat kota.",
                "Drafts primary health care policy for the region.",
            ),
            (
                "Merancang sistem kesehatan primer daerah yang terpadu.",
                "Designs an integrated regional primary health system.",
            ),
        ],
    },
    {
        "code": "T.PBJ.01",
        "name_id": "Pengadaan Barang/Jasa Pemerintah",
        "name_en": "Public Procurement",
        "definition_id": "Melaksanakan pengadaan barang/jasa sesuai ketentuan dan prinsip efisiensi.",
        "definition_en": "Carrying out procurement by the rules and with value for money.",
        "levels": [
            ("Menyiapkan dokumen pengadaan sederhana.", "Prepares simple procurement documents."),
            (
                "Melaksanakan pengadaan langsung dan e-purchasing.",
                "Runs direct purchases and e-purchasing.",
            ),
            ("Mengelola tender dan evaluasi penawaran.", "Manages tenders and bid evaluation."),
            (
                "Menyusun strategi pengadaan organisasi.",
                "Sets the organisation's procurement strategy.",
            ),
            ("Membina sistem pengadaan daerah.", "Oversees the region's procurement system."),
        ],
    },
    {
        "code": "T.DAT.01",
        "name_id": "Pengelolaan Data dan Statistik Sektoral",
        "name_en": "Sectoral Data and Statistics",
        "definition_id": "Mengumpulkan, mengolah, dan menyajikan data untuk perencanaan dan layanan.",
        "definition_en": "Collecting, processing and presenting data for planning and services.",
        "levels": [
            (
                "Mengisi dan memeriksa data sesuai format.",
                "Enters and checks data in the given format.",
            ),
            (
                "Mengolah data dengan lembar kerja dan menyajikan tabel.",
                "Processes data in spreadsheets and presents tables.",
            ),
            (
                "Menganalisis data untuk bahan keputusan unit.",
                "Analyses data to support the unit's decisions.",
            ),
            (
                "Merancang tata kelola data sektoral organisasi.",
                "Designs the organisation's sectoral data governance.",
            ),
            (
                "Mengarahkan kebijakan Satu Data di tingkat daerah.",
                "Steers the region's One Data policy.",
            ),
        ],
    },
    {
        "code": "T.ADM.01",
        "name_id": "Administrasi Kependudukan",
        "name_en": "Civil Registration",
        "definition_id": "Melayani pendaftaran penduduk dan pencatatan sipil secara akurat.",
        "definition_en": "Serving population registration and civil records accurately.",
        "levels": [
            ("Menerima dan memeriksa berkas permohonan.", "Receives and checks application files."),
            (
                "Memproses dokumen kependudukan di aplikasi SIAK.",
                "Processes civil documents in the registry system.",
            ),
            (
                "Menyelesaikan kasus data ganda dan perbaikan data.",
                "Resolves duplicate and corrected records.",
            ),
            (
                "Menyusun inovasi layanan adminduk.",
                "Designs civil registration service innovations.",
            ),
            (
                "Mengarahkan kebijakan adminduk daerah.",
                "Steers the region's civil registration policy.",
            ),
        ],
    },
]

# (position type, jenjang or '') → required level of managerial and socio-cultural competencies.
# Secondary sources disagree; these are starting values that HR edits in the portal.
DEFAULT_LEVELS: dict[tuple[str, str], int] = {
    (PositionType.JPT.value, Jenjang.UTAMA.value): 5,
    (PositionType.JPT.value, Jenjang.MADYA.value): 4,
    (PositionType.JPT.value, Jenjang.PRATAMA.value): 4,
    (PositionType.ADMINISTRATOR.value, ""): 3,
    (PositionType.PENGAWAS.value, ""): 2,
    (PositionType.PELAKSANA.value, ""): 1,
    (PositionType.FUNGSIONAL.value, Jenjang.AHLI_PERTAMA.value): 2,
    (PositionType.FUNGSIONAL.value, Jenjang.AHLI_MUDA.value): 3,
    (PositionType.FUNGSIONAL.value, Jenjang.AHLI_MADYA.value): 4,
    (PositionType.FUNGSIONAL.value, Jenjang.AHLI_UTAMA.value): 5,
    (PositionType.FUNGSIONAL.value, Jenjang.PEMULA.value): 1,
    (PositionType.FUNGSIONAL.value, Jenjang.TERAMPIL.value): 2,
    (PositionType.FUNGSIONAL.value, Jenjang.MAHIR.value): 2,
    (PositionType.FUNGSIONAL.value, Jenjang.PENYELIA.value): 3,
}


def position_classes() -> list[tuple[str, str]]:
    """Every (position type, jenjang) pair a default can be set for, in a stable order."""
    from app.org.models import JENJANG_BY_TYPE

    pairs: list[tuple[str, str]] = []
    for position_type in PositionType:
        jenjangs = JENJANG_BY_TYPE.get(position_type, ())
        if jenjangs:
            pairs.extend((position_type.value, j.value) for j in jenjangs)
        else:
            pairs.append((position_type.value, ""))
    return pairs
