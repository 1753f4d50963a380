"""Indonesian texts of the training catalogue, nominations, approvals and the learning record."""

ID = {
    # ---- learning record ----
    "Activity": "Kegiatan",
    "JP (1 JP = 45 minutes)": "JP (1 JP = 45 menit)",
    "Certificate number": "Nomor sertifikat",
    "My learning record": "Riwayat pengembangan saya",
    "JP progress": "Capaian JP",
    "No employee of your instansi has this NIP.": "Tidak ada pegawai instansi Anda dengan NIP ini.",
    "Learning record saved.": "Riwayat pengembangan disimpan.",
    "Give the title of the activity.": "Isi nama kegiatan.",
    "JP must be at most 1000 for one activity.": "JP paling banyak 1000 untuk satu kegiatan.",
    "The activity date cannot be in the future.": "Tanggal kegiatan tidak boleh di masa depan.",
    "Title": "Judul",
    "Participant": "Peserta",
    "Submitted": "Diajukan",
    "Learning record": "Riwayat pengembangan",
    "Year": "Tahun",
    "Show": "Tampilkan",
    "Progress toward %(target)d JP in %(year)d": "Capaian menuju %(target)d JP tahun %(year)d",
    "Target reached.": "Target tercapai.",
    "%(left)s JP to go (%(minutes)d minutes of learning).": (
        "Kurang %(left)s JP (%(minutes)d menit pembelajaran)."
    ),
    "PP 11/2017: every civil servant develops their competencies for at least 20 JP a year; "
    "1 JP is 45 minutes.": (
        "PP 11/2017: setiap PNS mengembangkan kompetensinya paling sedikit 20 JP setahun; "
        "1 JP sama dengan 45 menit."
    ),
    "Source": "Sumber",
    "Certificate": "Sertifikat",
    "Training": "Pelatihan",
    "Recorded by HR": "Dicatat oleh BKPSDM",
    "Nothing recorded for this year yet.": "Belum ada yang tercatat untuk tahun ini.",
    "Record an activity": "Catat kegiatan",
    "For development done outside the portal, with the certificate in hand. Completed "
    "trainings and confirmed mentoring sessions are credited automatically.": (
        "Untuk pengembangan di luar portal, dengan sertifikat di tangan. Pelatihan yang selesai "
        "dan sesi mentoring yang dikonfirmasi tercatat otomatis."
    ),
    "Only below 20 JP": "Hanya yang di bawah 20 JP",
    "Reached %(target)d JP": "Mencapai %(target)d JP",
    "Average JP": "Rata-rata JP",
    "Progress": "Capaian",
    "met": "tercapai",
    "Filter": "Saring",
    "Cancel": "Batal",
    "Today you act as %(kind)s %(position)s.": "Hari ini Anda bertindak sebagai %(kind)s %(position)s.",
    "Saved": "Tersimpan",
    "Attendance": "Kehadiran",
    "Completion": "Kelulusan",
    # ---- budget ----
    "Training budget": "Anggaran pengembangan kompetensi",
    "Allocate budget": "Alokasikan anggaran",
    "Allocated": "Dialokasikan",
    "Committed by approvals": "Terikat oleh persetujuan",
    "Remaining": "Sisa",
    "Budget line": "Pos anggaran",
    "Committed": "Terikat",
    "No budget line for this year.": "Belum ada pos anggaran untuk tahun ini.",
    "Back to the budget": "Kembali ke anggaran",
    "Sets the unit's training budget for the year; an existing line is changed, never below "
    "what approvals already committed.": (
        "Menetapkan anggaran pengembangan unit untuk tahun itu; pos yang sudah ada diubah, "
        "tidak pernah di bawah jumlah yang sudah terikat oleh persetujuan."
    ),
    "Allocate": "Alokasikan",
    "Sub-activity code": "Kode sub kegiatan",
    "Funding source": "Sumber dana",
    "Amount (Rp)": "Jumlah (Rp)",
    "Allocating budget is reserved to the definitive head of the OPD; an acting official "
    "(Plt/Plh) cannot do it.": (
        "Alokasi anggaran hanya boleh dilakukan kepala OPD definitif; pejabat Plt/Plh tidak "
        "berwenang."
    ),
    "Only the definitive head of the OPD allocates its training budget.": (
        "Hanya kepala OPD definitif yang mengalokasikan anggaran pengembangan kompetensinya."
    ),
    "Budget allocated.": "Anggaran dialokasikan.",
    "Choose a unit.": "Pilih unit.",
    "Give a year between 2000 and 2100.": "Isi tahun antara 2000 dan 2100.",
    "The amount cannot be negative.": "Jumlah tidak boleh negatif.",
    "Choose a funding source.": "Pilih sumber dana.",
    "The amount cannot be lower than the %(committed)s already committed.": (
        "Jumlah tidak boleh lebih kecil dari %(committed)s yang sudah terikat."
    ),
    "The budget line changed while you were editing it; open it again.": (
        "Pos anggaran berubah saat Anda mengubahnya; buka kembali."
    ),
    "APBD": "APBD",
    "APBN": "APBN",
    "DAK": "DAK",
    "Other": "Lainnya",
    # ---- approval chain and delegations ----
    "Approval chain": "Alur persetujuan",
    "Every nomination passes these steps in order. The approver of each step is found in the "
    "organisation tree when the step opens; an acting official (Plt/Plh) may decide for a "
    "head. A step with no approver in the tree is skipped, and a step whose approver just "
    "approved the previous one is approved with it.": (
        "Setiap usulan melewati tahap-tahap ini secara berurutan. Pemberi persetujuan setiap "
        "tahap dicari di struktur organisasi saat tahap dibuka; pejabat Plt/Plh boleh "
        "memutuskan atas nama kepala. Tahap tanpa pemberi persetujuan di struktur dilewati, dan "
        "tahap yang pemberi persetujuannya baru saja menyetujui tahap sebelumnya ikut disetujui."
    ),
    "Nominations already submitted keep the steps they started with.": (
        "Usulan yang sudah diajukan tetap memakai tahap saat diajukan."
    ),
    "Record a Plt/Plh": "Catat Plt/Plh",
    "Plt for a vacant or permanently absent head, Plh for a temporary absence.": (
        "Plt untuk kepala yang kosong atau berhalangan tetap, Plh untuk berhalangan sementara."
    ),
    "At most three months; an extension is a new SK.": (
        "Paling lama tiga bulan; perpanjangan dengan SK baru."
    ),
    "Acting officials (Plt/Plh)": "Pejabat Plt/Plh",
    "An acting official may approve nominations in the head's place while the delegation is "
    "valid. Allocating budget and adopting the plan stay reserved to the definitive official.": (
        "Pejabat Plt/Plh boleh menyetujui usulan atas nama kepala selama penunjukannya berlaku. "
        "Alokasi anggaran dan penetapan rencana tetap kewenangan pejabat definitif."
    ),
    "Acting official": "Pejabat Plt/Plh",
    "Acting officials": "Pejabat Plt/Plh",
    "Valid": "Berlaku",
    "SK number": "Nomor SK",
    "Actions": "Tindakan",
    "ended early": "diakhiri lebih awal",
    "active": "aktif",
    "upcoming": "akan datang",
    "expired": "berakhir",
    "End now": "Akhiri sekarang",
    "No delegation recorded.": "Belum ada penunjukan Plt/Plh.",
    "Head position": "Jabatan kepala",
    "Valid from": "Berlaku mulai",
    "Valid until": "Berlaku sampai",
    "— no step —": "— tanpa tahap —",
    "Step 1": "Tahap 1",
    "Step 2": "Tahap 2",
    "Step 3": "Tahap 3",
    "Step 4": "Tahap 4",
    "Step 5": "Tahap 5",
    "Approval chain saved.": "Alur persetujuan disimpan.",
    "Delegation recorded.": "Penunjukan Plt/Plh dicatat.",
    "Delegation ended.": "Penunjukan Plt/Plh diakhiri.",
    "The chain needs at least one step.": "Alur memerlukan paling sedikit satu tahap.",
    "At most %(n)d steps.": "Paling banyak %(n)d tahap.",
    "Each kind of step can appear only once.": "Setiap jenis tahap hanya boleh muncul sekali.",
    "Choose a head position of this instansi.": "Pilih jabatan kepala di instansi ini.",
    "Choose an active employee of this instansi.": "Pilih pegawai aktif di instansi ini.",
    "The holder of the position needs no delegation.": (
        "Pemangku jabatan itu sendiri tidak memerlukan penunjukan."
    ),
    "The end date cannot be before the start date.": (
        "Tanggal berakhir tidak boleh sebelum tanggal mulai."
    ),
    "A Plt/Plh serves at most three months; record an extension as a new SK.": (
        "Plt/Plh menjabat paling lama tiga bulan; catat perpanjangan sebagai SK baru."
    ),
    "Give the number of the appointment letter (SK).": "Isi nomor surat penunjukan (SK).",
    "Another Plt/Plh already acts for this position in that period.": (
        "Sudah ada Plt/Plh lain untuk jabatan ini pada periode tersebut."
    ),
    "This delegation has already ended.": "Penunjukan ini sudah berakhir.",
    "Plt (permanent absence)": "Plt (berhalangan tetap)",
    "Plh (temporary absence)": "Plh (berhalangan sementara)",
    "Plt": "Plt",
    "Plh": "Plh",
    # ---- catalogue and events ----
    "Training catalogue": "Katalog pelatihan",
    "Title, code or competency": "Judul, kode atau kompetensi",
    "All forms": "Semua bentuk",
    "Add program": "Tambah program",
    "%(n)d programs": "%(n)d program",
    "Competencies": "Kompetensi",
    "Upcoming batches": "Angkatan mendatang",
    "No program matches.": "Tidak ada program yang cocok.",
    "Path": "Jalur",
    "Form": "Bentuk",
    "%(minutes)d minutes": "%(minutes)d menit",
    "Provider": "Penyelenggara",
    "Provider kind": "Jenis penyelenggara",
    "Competencies developed": "Kompetensi yang dikembangkan",
    "level %(n)d": "level %(n)d",
    "Edit program": "Ubah program",
    "Add batch": "Tambah angkatan",
    "Batches": "Angkatan",
    "Batch": "Angkatan",
    "Under review": "Dalam proses persetujuan",
    "cancelled": "dibatalkan",
    "open for nominations": "terbuka untuk usulan",
    "online": "daring",
    "No batch is scheduled yet.": "Belum ada angkatan yang dijadwalkan.",
    "A short code, e.g. PKP-2026 or BIMTEK-YANKES.": "Kode singkat, misalnya PKP-2026 atau BIMTEK-YANKES.",
    "The path (education, classical or non-classical training) follows from the form.": (
        "Jalur (pendidikan, pelatihan klasikal atau nonklasikal) mengikuti bentuknya."
    ),
    "One per line: competency code and target level 1–5, e.g. M.03:3.": (
        "Satu per baris: kode kompetensi dan level target 1–5, misalnya M.03:3."
    ),
    "Cost per participant": "Biaya per peserta",
    "Cost per participant (Rp)": "Biaya per peserta (Rp)",
    "Description": "Uraian",
    "Open in the catalogue": "Terbuka di katalog",
    "End date": "Tanggal selesai",
    "Quota (seats)": "Kuota (kursi)",
    "Dates": "Tanggal",
    "Place": "Tempat",
    "Online link": "Tautan daring",
    "Seats": "Kursi",
    "%(taken)d of %(quota)d approved": "%(taken)d dari %(quota)d disetujui",
    "New batch": "Angkatan baru",
    "Edit batch": "Ubah angkatan",
    "e.g. Angkatan I 2026": "misalnya Angkatan I 2026",
    "For online or blended batches.": "Untuk angkatan daring atau campuran.",
    "Final approvals stop when the seats are taken.": (
        "Persetujuan akhir berhenti ketika kursi sudah terisi."
    ),
    "Event saved.": "Angkatan disimpan.",
    "Program saved.": "Program disimpan.",
    "New program": "Program baru",
    "Line %(n)d: write a competency code and a target level 1–5, e.g. M.03:3.": (
        "Baris %(n)d: tulis kode kompetensi dan level target 1–5, misalnya M.03:3."
    ),
    "%(code)s is listed twice.": "%(code)s tercantum dua kali.",
    "List at least one competency the program develops.": (
        "Cantumkan paling sedikit satu kompetensi yang dikembangkan program."
    ),
    "A code is required.": "Kode wajib diisi.",
    "Choose a form from the list.": "Pilih bentuk dari daftar.",
    "JP must be between 0 and 2000 (1 JP = 45 minutes).": (
        "JP harus antara 0 dan 2000 (1 JP = 45 menit)."
    ),
    "The cost cannot be negative.": "Biaya tidak boleh negatif.",
    "Another program already uses this code.": "Kode ini sudah dipakai program lain.",
    "The event cannot end before it starts.": "Angkatan tidak boleh selesai sebelum dimulai.",
    "Give the place or the online link.": "Isi tempat atau tautan daring.",
    "The online link must start with https://.": "Tautan daring harus diawali https://.",
    "The quota cannot be below the %(n)d seats already approved.": (
        "Kuota tidak boleh di bawah %(n)d kursi yang sudah disetujui."
    ),
    "Education": "Pendidikan",
    "Classical training": "Pelatihan klasikal",
    "Non-classical training": "Pelatihan nonklasikal",
    "Classroom training": "Pelatihan klasikal (kelas)",
    "Workshop": "Lokakarya",
    "Seminar or conference": "Seminar atau konferensi",
    "Course": "Kursus",
    "Technical guidance (bimtek)": "Bimbingan teknis (bimtek)",
    "E-learning": "E-learning",
    "Distance learning": "Pelatihan jarak jauh",
    "Coaching": "Coaching",
    "Job rotation": "Rotasi jabatan",
    "Internship": "Magang",
    "Benchmarking or study visit": "Benchmarking atau studi banding",
    "Self study": "Belajar mandiri",
    "Degree study (tugas belajar)": "Tugas belajar",
    "BPSDM (province)": "BPSDM (provinsi)",
    "LAN": "LAN",
    "Ministry": "Kementerian",
    "University": "Perguruan tinggi",
    "Private partner": "Mitra swasta",
    "Internal": "Internal",
    # ---- nominations ----
    "Nominations": "Usulan peserta",
    "Nomination": "Usulan",
    "My nomination": "Usulan saya",
    "Nominate": "Usulkan",
    "Nominate from development needs": "Usulkan dari kebutuhan pengembangan",
    "Participants and attendance": "Peserta dan kehadiran",
    "No nominations yet.": "Belum ada usulan.",
    "State": "Status",
    "Origin": "Asal",
    "develops": "mengembangkan",
    "%(done)d nominations submitted, %(refused)d refused.": (
        "%(done)d usulan diajukan, %(refused)d ditolak sistem."
    ),
    "Accepted needs of employees in your scope that this program develops. One nomination per "
    "employee; their needs become “nominated”.": (
        "Kebutuhan yang sudah diterima dari pegawai dalam lingkup Anda yang dikembangkan program "
        "ini. Satu usulan per pegawai; kebutuhannya menjadi “diusulkan”."
    ),
    "Select": "Pilih",
    "Gap": "Kesenjangan",
    "gap": "kesenjangan",
    "Priority": "Prioritas",
    "nominated": "diusulkan",
    "No accepted development need in your scope matches this program.": (
        "Tidak ada kebutuhan pengembangan yang diterima dalam lingkup Anda yang cocok dengan "
        "program ini."
    ),
    "Nominate the selected employees": "Usulkan pegawai yang dipilih",
    "Yourself, or an employee you supervise or head.": (
        "Anda sendiri, atau pegawai yang Anda bawahi atau pimpin."
    ),
    "Why this program, for this person, now: the competency gap, the work it serves.": (
        "Mengapa program ini, untuk orang ini, sekarang: kesenjangan kompetensi dan pekerjaan "
        "yang didukungnya."
    ),
    "The nomination goes through the approval chain of your instansi, step by step.": (
        "Usulan melewati alur persetujuan instansi Anda, tahap demi tahap."
    ),
    "Submit nomination": "Ajukan usulan",
    "Employee name": "Nama pegawai",
    "All states": "Semua status",
    "Only my own": "Hanya milik saya",
    "Find a program in the catalogue to nominate for": "Cari program di katalog untuk diusulkan",
    "%(n)d nominations": "%(n)d usulan",
    "No nomination matches.": "Tidak ada usulan yang cocok.",
    "Justification": "Alasan pengusulan",
    "Development needs": "Kebutuhan pengembangan",
    "Nomination submitted.": "Usulan diajukan.",
    "Nomination resubmitted.": "Usulan diajukan ulang.",
    "Your nomination is withdrawn.": "Usulan Anda ditarik.",
    "Only a nomination returned for revision can be revised.": (
        "Hanya usulan yang dikembalikan untuk perbaikan yang dapat diperbaiki."
    ),
    "Revise nomination": "Perbaiki usulan",
    "What to revise": "Yang perlu diperbaiki",
    "The nomination starts again at the first step of the approval chain.": (
        "Usulan dimulai lagi dari tahap pertama alur persetujuan."
    ),
    "Resubmit": "Ajukan ulang",
    "Revise and resubmit": "Perbaiki dan ajukan ulang",
    "Explain in at least %(n)d characters why.": "Jelaskan alasannya paling sedikit %(n)d karakter.",
    "This event is cancelled; it takes no nominations.": (
        "Angkatan ini dibatalkan; tidak menerima usulan."
    ),
    "Nominations for this event closed when it started.": (
        "Usulan untuk angkatan ini ditutup ketika angkatan dimulai."
    ),
    "Choose an active employee of the event's instansi.": (
        "Pilih pegawai aktif dari instansi penyelenggara angkatan ini."
    ),
    "You may nominate only yourself and employees in your scope.": (
        "Anda hanya dapat mengusulkan diri sendiri dan pegawai dalam lingkup Anda."
    ),
    "%(name)s already has an active nomination for this event.": (
        "%(name)s sudah memiliki usulan aktif untuk angkatan ini."
    ),
    "Choose an employee.": "Pilih pegawai.",
    "Choose an event.": "Pilih angkatan.",
    "Select at least one development need.": "Pilih paling sedikit satu kebutuhan pengembangan.",
    "Only accepted needs this program develops.": (
        "Hanya kebutuhan yang sudah diterima dan dikembangkan program ini."
    ),
    "Accepted development needs from the %(year)d needs analysis: %(needs)s.": (
        "Kebutuhan pengembangan yang diterima dari analisis kebutuhan %(year)d: %(needs)s."
    ),
    "From the needs analysis": "Dari analisis kebutuhan",
    "Proposed by a superior or HR": "Diusulkan atasan atau BKPSDM",
    "Self-nomination": "Usulan diri sendiri",
    # ---- states, steps, audit ----
    "Returned for revision": "Dikembalikan untuk perbaikan",
    "Approved": "Disetujui",
    "Rejected": "Ditolak",
    "Withdrawn": "Ditarik",
    "Waiting for an earlier step": "Menunggu tahap sebelumnya",
    "Awaiting decision": "Menunggu keputusan",
    "Skipped": "Dilewati",
    "Not reached": "Tidak sampai",
    "Resubmitted": "Diajukan ulang",
    "Approved automatically": "Disetujui otomatis",
    "Step skipped": "Tahap dilewati",
    "Escalated": "Dieskalasi",
    "definitive": "definitif",
    "HR (BKPSDM)": "BKPSDM",
    "nominee": "yang diusulkan",
    "nominator": "pengusul",
    "system": "sistem",
    "HR verification": "Verifikasi BKPSDM",
    "Return for revision": "Kembalikan untuk perbaikan",
    "submitted": "mengajukan",
    "resubmitted": "mengajukan ulang",
    "approved": "menyetujui",
    "skipped": "melewati",
    "rejected": "menolak",
    "returned for revision": "mengembalikan untuk perbaikan",
    "withdrew": "menarik",
    "escalated": "mengeskalasi",
    "No approver for this step in the organisation tree.": (
        "Tidak ada pemberi persetujuan untuk tahap ini di struktur organisasi."
    ),
    "Same approver as the previous step.": "Pemberi persetujuan sama dengan tahap sebelumnya.",
    "Back to my approvals": "Kembali ke daftar persetujuan",
    "Where the nomination stands": "Posisi usulan",
    "Step %(n)d": "Tahap %(n)d",
    "Waiting since %(when)s": "Menunggu sejak %(when)s",
    "Participation": "Keikutsertaan",
    "certificate %(no)s": "sertifikat %(no)s",
    "Your decision": "Keputusan Anda",
    "You decide as %(kind)s of the head; the audit trail records it.": (
        "Anda memutuskan sebagai %(kind)s kepala; jejak audit mencatatnya."
    ),
    "Needed when rejecting.": "Wajib saat menolak.",
    "Needed when returning for revision or rejecting for another reason.": (
        "Wajib saat mengembalikan untuk perbaikan atau menolak dengan alasan lain."
    ),
    "Withdraw my nomination": "Tarik usulan saya",
    "Withdraw": "Tarik",
    "Why (optional)": "Alasan (boleh kosong)",
    "Nominee": "Pegawai yang diusulkan",
    "JP this year": "JP tahun ini",
    "%(jp)s of 20 JP": "%(jp)s dari 20 JP",
    "this program": "program ini",
    "No development needs recorded.": "Belum ada kebutuhan pengembangan yang tercatat.",
    "Other nominations of this employee": "Usulan lain pegawai ini",
    "None.": "Tidak ada.",
    "Audit trail": "Jejak audit",
    "When": "Waktu",
    "By": "Oleh",
    "Acting for": "Atas nama",
    "Comment": "Catatan",
    "round %(r)d": "putaran %(r)d",
    "step %(n)d": "tahap %(n)d",
    "Reason for rejection": "Alasan penolakan",
    "Not relevant to the position or the competency gap": (
        "Tidak relevan dengan jabatan atau kesenjangan kompetensi"
    ),
    "Needed at work during the event": "Dibutuhkan di tempat kerja selama pelatihan",
    "Does not meet the participant requirements": "Tidak memenuhi persyaratan peserta",
    "Already attended this or an equivalent program": (
        "Sudah mengikuti program ini atau yang setara"
    ),
    "No budget": "Tidak ada anggaran",
    "Other candidates have priority for the seats": "Calon lain diprioritaskan untuk kursi",
    "Other (explain in the comment)": "Lainnya (jelaskan di catatan)",
    "Decision saved: %(decision)s.": "Keputusan disimpan: %(decision)s.",
    "Choose the reason for the rejection.": "Pilih alasan penolakan.",
    "Explain the reason in the comment.": "Jelaskan alasannya di catatan.",
    "Say what should be revised.": "Sebutkan apa yang perlu diperbaiki.",
    "Nobody approves their own nomination.": "Tidak seorang pun menyetujui usulannya sendiri.",
    "You are not the approver of this step: it waits for HR verification (BKPSDM).": (
        "Anda bukan pemberi persetujuan tahap ini: tahap ini menunggu verifikasi BKPSDM."
    ),
    "You are not the approver of this step: it waits for %(position)s (%(holder)s).": (
        "Anda bukan pemberi persetujuan tahap ini: tahap ini menunggu %(position)s (%(holder)s)."
    ),
    "vacant; its Plt/Plh may act": "kosong; Plt/Plh-nya dapat memutuskan",
    "Steps run in order: the nomination waits at step %(open)d (%(label)s), so step "
    "%(wanted)d cannot be decided now.": (
        "Tahap berjalan berurutan: usulan menunggu di tahap %(open)d (%(label)s), jadi tahap "
        "%(wanted)d belum dapat diputuskan."
    ),
    "This nomination does not exist.": "Usulan ini tidak ada.",
    "Only the nominee can withdraw a nomination.": (
        "Hanya pegawai yang diusulkan yang dapat menarik usulan."
    ),
    "Only a nomination still under review can be withdrawn; this one is final.": (
        "Hanya usulan yang masih diproses yang dapat ditarik; usulan ini sudah final."
    ),
    "Only the nominee or the person who proposed it can revise it.": (
        "Hanya pegawai yang diusulkan atau pengusulnya yang dapat memperbaikinya."
    ),
    "Only a nomination returned for revision can be resubmitted.": (
        "Hanya usulan yang dikembalikan untuk perbaikan yang dapat diajukan ulang."
    ),
    "This nomination is already approved; there is nothing left to decide.": (
        "Usulan ini sudah disetujui; tidak ada lagi yang perlu diputuskan."
    ),
    "This nomination was rejected; it can no longer be approved or changed.": (
        "Usulan ini sudah ditolak; tidak dapat lagi disetujui atau diubah."
    ),
    "The nominee withdrew this nomination; it can no longer be decided.": (
        "Pegawai yang diusulkan sudah menarik usulan ini; tidak dapat lagi diputuskan."
    ),
    "This nomination was returned for revision; it can be decided again once it is resubmitted.": (
        "Usulan ini dikembalikan untuk perbaikan; dapat diputuskan lagi setelah diajukan ulang."
    ),
    "This nomination changed in the meantime.": "Usulan ini sudah berubah sementara itu.",
    "Someone decided first: %(name)s %(verb)s this nomination on %(when)s. Nothing was "
    "changed by your request.": (
        "Sudah diputuskan lebih dulu: %(name)s %(verb)s usulan ini pada %(when)s. Permintaan "
        "Anda tidak mengubah apa pun."
    ),
    "The event is full: all %(quota)d seats are already approved. Reject the nomination or "
    "ask HR to raise the quota.": (
        "Angkatan sudah penuh: seluruh %(quota)d kursi sudah disetujui. Tolak usulan ini atau "
        "minta BKPSDM menambah kuota."
    ),
    "No training budget line covers %(unit)s in %(year)d; the head of the OPD must allocate "
    "one before the final approval.": (
        "Belum ada pos anggaran pengembangan untuk %(unit)s tahun %(year)d; kepala OPD harus "
        "mengalokasikannya sebelum persetujuan akhir."
    ),
    "The budget line “%(line)s” %(year)d has %(left)s left; this participation costs %(cost)s.": (
        "Pos anggaran “%(line)s” %(year)d tinggal %(left)s; biaya keikutsertaan ini %(cost)s."
    ),
    # ---- inbox ----
    "Training approvals": "Persetujuan pelatihan",
    "Event": "Angkatan",
    "All events": "Semua angkatan",
    "Waiting": "Menunggu",
    "Any time": "Kapan saja",
    "%(n)d days or more": "%(n)d hari atau lebih",
    "%(n)d nominations approved.": "%(n)d usulan disetujui.",
    "Awaiting your decision": "Menunggu keputusan Anda",
    "Waiting 3 days or more": "Menunggu 3 hari atau lebih",
    "Shown with these filters": "Tampil dengan saringan ini",
    "Select all on this page": "Pilih semua di halaman ini",
    "Step": "Tahap",
    "Cost": "Biaya",
    "Select %(name)s": "Pilih %(name)s",
    "%(n)d days": "%(n)d hari",
    "Nothing awaits your decision.": "Tidak ada yang menunggu keputusan Anda.",
    "Approve selected": "Setujui yang dipilih",
    "Select at least one nomination to approve.": "Pilih paling sedikit satu usulan untuk disetujui.",
    # ---- roster ----
    "Participants": "Peserta",
    "%(jp)s JP on completion": "%(jp)s JP jika lulus",
    "Attendance is recorded once the event has started.": (
        "Kehadiran dicatat setelah angkatan dimulai."
    ),
    "No approved participant yet.": "Belum ada peserta yang disetujui.",
    "Participation saved.": "Keikutsertaan disimpan.",
    "The JP of this participation are already credited; it stays completed.": (
        "JP keikutsertaan ini sudah tercatat; statusnya tetap lulus."
    ),
    "Only a participant who was present can complete the event.": (
        "Hanya peserta yang hadir yang dapat dinyatakan lulus."
    ),
    "Not recorded": "Belum dicatat",
    "Present": "Hadir",
    "Absent": "Tidak hadir",
    "Enrolled": "Terdaftar",
    "Not completed": "Tidak lulus",
    # ---- reminders ----
    "- %(name)s: %(program)s · %(batch)s (starts %(start)s), waiting %(days)d days: %(link)s": (
        "- %(name)s: %(program)s · %(batch)s (mulai %(start)s), menunggu %(days)d hari: %(link)s"
    ),
    "Bangkom: %(n)d nominations await your decision": (
        "Bangkom: %(n)d usulan peserta menunggu keputusan Anda"
    ),
    "Hello %(name)s, these training nominations wait for your decision:": (
        "Yth. %(name)s, usulan peserta pelatihan berikut menunggu keputusan Anda:"
    ),
    "Bangkom: a training nomination is overdue for decision": (
        "Bangkom: usulan peserta pelatihan lewat batas waktu keputusan"
    ),
    "Hello %(name)s, this nomination has waited longer than agreed; please follow it up with "
    "the approver or their Plt/Plh:": (
        "Yth. %(name)s, usulan berikut sudah menunggu melewati batas waktu; mohon tindak lanjuti "
        "dengan pemberi persetujuan atau Plt/Plh-nya:"
    ),
    "No recipient with an email address.": "Tidak ada penerima dengan alamat email.",
}
