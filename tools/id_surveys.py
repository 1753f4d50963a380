"""Indonesian texts of the survey pages: campaigns, answering, results and exports."""

ID = {
    # exports
    "Response number": "Nomor respons",
    "Submitted on": "Tanggal dikirim",
    "Rater role": "Peran penilai",
    "Stakeholder group": "Kelompok pemangku kepentingan",
    "NIP of the employee rated": "NIP pegawai yang dinilai",
    "Employee rated": "Pegawai yang dinilai",
    "Respondent NIP": "NIP responden",
    "Respondent": "Responden",
    "Respondent's organisation": "Lembaga responden",
    "Responses": "Respons",
    "Codebook": "Buku kode",
    "Column": "Kolom",
    "Question": "Pertanyaan",
    "Label": "Label",
    "other, specified": "lainnya, sebutkan",
    "label of the answer": "label jawaban",
    # forms
    "Survey definition": "Definisi survei",
    "Audience": "Sasaran",
    "Cycle year": "Tahun siklus",
    "Opens on": "Dibuka tanggal",
    "Closes on": "Ditutup tanggal",
    "Limit to a unit and its sub-units": "Batasi pada satu unit beserta sub-unitnya",
    "Anonymous responses (no link to a person, date only)": (
        "Respons anonim (tanpa kaitan ke orang, hanya tanggal)"
    ),
    "Open public link (with a QR code)": "Tautan publik terbuka (dengan kode QR)",
    "Stakeholders to invite": "Pemangku kepentingan yang diundang",
    "Unit the input is about": "Unit yang menjadi sasaran masukan",
    "Your email address": "Alamat email Anda",
    "If other, please specify": "Jika lainnya, sebutkan",
    # navigation and flashes
    "My surveys": "Survei saya",
    "Surveys": "Survei",
    "Survey results": "Hasil survei",
    "Your session had expired. Your answers are saved; press the button again to continue.": (
        "Sesi Anda telah berakhir. Jawaban Anda sudah tersimpan; tekan tombolnya sekali lagi "
        "untuk melanjutkan."
    ),
    "Your session had expired. Your answers are still here; press the button again to send them.": (
        "Sesi Anda telah berakhir. Jawaban Anda masih ada di sini; tekan tombolnya sekali lagi "
        "untuk mengirimnya."
    ),
    "The link has been sent. You can close this page.": (
        "Tautan sudah dikirim. Anda dapat menutup halaman ini."
    ),
    "— the whole instansi —": "— seluruh instansi —",
    "Campaign saved as a draft. Check it, then publish it.": (
        "Kampanye disimpan sebagai draf. Periksa, lalu terbitkan."
    ),
    "— none —": "— tidak ada —",
    "— not tied to a unit —": "— tidak terkait unit —",
    "The form expired; try again.": "Formulir kedaluwarsa; coba lagi.",
    "Campaign published; %(n)d assignments created.": (
        "Kampanye diterbitkan; %(n)d penugasan dibuat."
    ),
    "Campaign closed.": "Kampanye ditutup.",
    "%(n)d invitations sent.": "%(n)d undangan terkirim.",
    "%(n)d reminders sent.": "%(n)d pengingat terkirim.",
    "%(n)d stakeholders invited. Send the invitations when ready.": (
        "%(n)d pemangku kepentingan diundang. Kirim undangannya bila sudah siap."
    ),
    # labels
    "Member of the public": "Masyarakat umum",
    "Academia": "Akademisi",
    "Private sector": "Swasta / dunia usaha",
    "NGO / civil society": "LSM / organisasi masyarakat",
    "Civil servant": "Aparatur sipil negara",
    "Employees (self-assessment)": "Pegawai (penilaian diri)",
    "Supervisors (one rating per subordinate)": "Atasan (satu penilaian per bawahan)",
    "Peers (colleagues in the same unit)": "Rekan kerja (sesama pegawai satu unit)",
    "External stakeholders": "Pemangku kepentingan eksternal",
    "Training participants": "Peserta pelatihan",
    "Self": "Diri sendiri",
    "Peer": "Rekan kerja",
    "Subordinate": "Bawahan",
    "Stakeholder": "Pemangku kepentingan",
    "Draft": "Draf",
    "Open": "Dibuka",
    "Closed": "Ditutup",
    "Answers sent": "Terkirim",
    "Answering": "Pengisian",
    # service errors
    "There is no survey definition with this id.": "Tidak ada definisi survei dengan id ini.",
    "The survey definition of this campaign is not available.": (
        "Definisi survei kampanye ini tidak tersedia."
    ),
    "The closing date must be on or after the opening date.": (
        "Tanggal tutup harus sama dengan atau sesudah tanggal buka."
    ),
    "This survey is written for: %(roles)s.": "Survei ini ditujukan untuk: %(roles)s.",
    "Self and supervisor ratings are about a named employee.": (
        "Penilaian diri dan penilaian atasan menyangkut pegawai tertentu, jadi tidak bisa anonim."
    ),
    "An open link only suits stakeholders; employees are invited personally.": (
        "Tautan terbuka hanya untuk pemangku kepentingan; pegawai diundang secara pribadi."
    ),
    "Only a draft campaign can be published.": "Hanya kampanye berstatus draf yang dapat diterbitkan.",
    "The closing date has already passed.": "Tanggal tutup sudah lewat.",
    "Only an open campaign can be closed.": "Hanya kampanye yang dibuka yang dapat ditutup.",
    "Enter at least one email address.": "Isi paling sedikit satu alamat email.",
    "At most %(n)d invitations at once.": "Paling banyak %(n)d undangan sekaligus.",
    "Line %(n)d: not an email address.": "Baris %(n)d: bukan alamat email.",
    "Line %(n)d: unknown stakeholder group.": "Baris %(n)d: kelompok pemangku kepentingan tidak dikenal.",
    "Line %(n)d: listed twice.": "Baris %(n)d: tercantum dua kali.",
    "The campaign is closed.": "Kampanye sudah ditutup.",
    "Employees are assigned from the position tree when publishing.": (
        "Pegawai ditugaskan dari pohon jabatan saat kampanye diterbitkan."
    ),
    "Choose a stakeholder group from the list.": "Pilih kelompok pemangku kepentingan dari daftar.",
    "Already invited: %(emails)s": "Sudah diundang: %(emails)s",
    "Reminder: %(title)s": "Pengingat: %(title)s",
    "You have not yet finished this survey. Your answers so far are kept.": (
        "Anda belum menyelesaikan survei ini. Jawaban yang sudah Anda isi tetap tersimpan."
    ),
    "Invitation: %(title)s": "Undangan: %(title)s",
    "You are invited to take part in this survey.": "Anda diundang untuk mengisi survei ini.",
    "Dear %(name)s,": "Yth. %(name)s,",
    "respondent": "responden",
    "The link is personal; please do not share it. It works until %(day)s.": (
        "Tautan ini bersifat pribadi; mohon tidak dibagikan. Tautan berlaku sampai %(day)s."
    ),
    "You can stop at any time and continue later with the same link.": (
        "Anda dapat berhenti kapan saja dan melanjutkan nanti dengan tautan yang sama."
    ),
    "Invitations are sent once the campaign is open.": (
        "Undangan dikirim setelah kampanye dibuka."
    ),
    "Reminders are sent while the campaign is open.": ("Pengingat dikirim selama kampanye dibuka."),
    "Sending stopped after %(n)d messages: %(error)s": (
        "Pengiriman berhenti setelah %(n)d pesan: %(error)s"
    ),
    "Enter a valid email address.": "Isi alamat email yang benar.",
    "Continue your survey: %(title)s": "Lanjutkan survei Anda: %(title)s",
    "Use this link to continue where you stopped:": (
        "Gunakan tautan ini untuk melanjutkan dari bagian terakhir yang Anda isi:"
    ),
    "Anyone with the link can see your unfinished answers; keep it to yourself.": (
        "Siapa pun yang memegang tautan ini dapat melihat jawaban Anda yang belum selesai; "
        "simpan untuk Anda sendiri."
    ),
    "The form is incomplete; reload the page and try again.": (
        "Formulir tidak lengkap; muat ulang halaman lalu coba lagi."
    ),
    # answering pages
    "required": "wajib",
    "Page %(n)d of %(total)d": "Halaman %(n)d dari %(total)d",
    "Which government office is your input mainly about?": (
        "Masukan Anda terutama tentang kantor pemerintah yang mana?"
    ),
    "— not about one office —": "— tidak tentang satu kantor tertentu —",
    "Send my answers": "Kirim jawaban saya",
    "Review my answers": "Periksa jawaban saya",
    "Save and continue later": "Simpan dan lanjutkan nanti",
    "Your answers are saved.": "Jawaban Anda tersimpan.",
    "Review your answers": "Periksa jawaban Anda",
    "Some answers are missing or need correcting:": (
        "Beberapa jawaban belum diisi atau perlu diperbaiki:"
    ),
    "Check your answers. You can still change them; once sent, they cannot be changed.": (
        "Periksa jawaban Anda. Jawaban masih dapat diubah; setelah dikirim tidak dapat diubah lagi."
    ),
    "Thank you": "Terima kasih",
    "Thank you!": "Terima kasih!",
    "Your answers to “%(title)s” have been received.": (
        "Jawaban Anda untuk “%(title)s” sudah kami terima."
    ),
    "Your response is anonymous: it is stored without your name and with the date only.": (
        "Respons Anda anonim: disimpan tanpa nama Anda dan hanya dengan tanggalnya."
    ),
    "You can close this page.": "Anda dapat menutup halaman ini.",
    "Continue later": "Lanjutkan nanti",
    "Your answers are saved": "Jawaban Anda tersimpan",
    "To continue on this or another device, open this link:": (
        "Untuk melanjutkan di perangkat ini atau perangkat lain, buka tautan ini:"
    ),
    "Keep the link to yourself: anyone who has it can see and change your unfinished answers.": (
        "Simpan tautan ini untuk Anda sendiri: siapa pun yang memegangnya dapat melihat dan "
        "mengubah jawaban Anda yang belum selesai."
    ),
    "We send the link once and do not keep your address.": (
        "Kami mengirim tautan sekali dan tidak menyimpan alamat Anda."
    ),
    "Email me the link": "Kirim tautannya ke email saya",
    "This is the link from your invitation email.": "Ini tautan dari email undangan Anda.",
    "Continue now": "Lanjutkan sekarang",
    "Survey": "Survei",
    "Your response has already been submitted": "Respons Anda sudah terkirim",
    "This link can be used once, and the answers sent with it have been received. Thank you.": (
        "Tautan ini hanya dapat dipakai sekali, dan jawaban yang dikirim melaluinya sudah kami "
        "terima. Terima kasih."
    ),
    "The invitation is no longer valid. Ask the organiser for a new link if the survey is "
    "still open.": (
        "Undangan ini sudah tidak berlaku. Mintalah tautan baru kepada penyelenggara bila survei "
        "masih dibuka."
    ),
    "This survey is closed": "Survei ini sudah ditutup",
    "Answers are no longer accepted. Thank you for your interest.": (
        "Jawaban tidak lagi diterima. Terima kasih atas minat Anda."
    ),
    "This survey is not open yet": "Survei ini belum dibuka",
    "It opens on %(day)s.": "Survei dibuka pada %(day)s.",
    "This survey link is not valid": "Tautan survei ini tidak valid",
    "Check that the whole address was copied, or open the link from your invitation again.": (
        "Pastikan seluruh alamat tersalin, atau buka kembali tautan dari undangan Anda."
    ),
    # my surveys
    "About: %(name)s": "Tentang: %(name)s",
    "Open until %(day)s": "Dibuka sampai %(day)s",
    "Continue": "Lanjutkan",
    "Start": "Mulai",
    "You have no survey to answer at the moment.": "Saat ini tidak ada survei yang perlu Anda isi.",
    # campaigns
    "anonymous": "anonim",
    "%(s)d submitted, %(d)d in progress, %(i)d invited": (
        "%(s)d terkirim, %(d)d sedang diisi, %(i)d diundang"
    ),
    "The definition file now has errors; the campaign cannot be published:": (
        "Berkas definisi sekarang mengandung kesalahan; kampanye tidak dapat diterbitkan:"
    ),
    "Publish": "Terbitkan",
    "Send invitations": "Kirim undangan",
    "Remind those who have not finished": "Ingatkan yang belum selesai",
    "Close": "Tutup",
    "Results": "Hasil",
    "Public link": "Tautan publik",
    "Printable QR code": "Kode QR untuk dicetak",
    "Invite stakeholders": "Undang pemangku kepentingan",
    "One per line: email; name; organisation; group. Only the email is required.": (
        "Satu per baris: email; nama; lembaga; kelompok. Hanya email yang wajib."
    ),
    "Used for lines that name no group.": "Dipakai untuk baris yang tidak menyebut kelompok.",
    "Add invitations": "Tambahkan undangan",
    "Invitations": "Undangan",
    "All": "Semua",
    "Not finished": "Belum selesai",
    "In progress": "Sedang diisi",
    "%(n)d invitations": "%(n)d undangan",
    "Role": "Peran",
    "About": "Tentang",
    "Group": "Kelompok",
    "(peer, not shown)": "(rekan kerja, tidak ditampilkan)",
    "Invitation sent": "Undangan terkirim",
    "Not sent": "Belum dikirim",
    "%(n)d reminders": "%(n)d pengingat",
    "No invitation matches.": "Tidak ada undangan yang cocok.",
    "New campaign": "Kampanye baru",
    "Definitions with errors are refused with the same messages as `flask surveys check`.": (
        "Definisi yang mengandung kesalahan ditolak dengan pesan yang sama seperti "
        "`flask surveys check`."
    ),
    "Employees, supervisors and peers are assigned from the position tree when the campaign "
    "is published.": (
        "Pegawai, atasan, dan rekan kerja ditugaskan dari pohon jabatan saat kampanye diterbitkan."
    ),
    "Save as draft": "Simpan sebagai draf",
    "Survey campaigns": "Kampanye survei",
    "Survey definitions": "Definisi survei",
    "Campaign": "Kampanye",
    "Invited": "Diundang",
    "No campaign yet.": "Belum ada kampanye.",
    "The files in the surveys folder, checked like `flask surveys check`. A definition with "
    "errors cannot be published.": (
        "Berkas di folder surveys, diperiksa seperti `flask surveys check`. Definisi yang "
        "mengandung kesalahan tidak dapat diterbitkan."
    ),
    "version %(v)d": "versi %(v)d",
    "has errors": "mengandung kesalahan",
    "valid": "valid",
    "%(n)d warnings": "%(n)d peringatan",
    "The surveys folder has no definition.": "Folder surveys tidak berisi definisi.",
    # QR
    "QR code": "Kode QR",
    "Poster for a unit (optional)": "Poster untuk satu unit (opsional)",
    "— any office —": "— kantor mana pun —",
    "Back to the campaign": "Kembali ke kampanye",
    "QR code of the survey link": "Kode QR tautan survei",
    "Scan the code with your phone camera, or open:": (
        "Pindai kode ini dengan kamera ponsel Anda, atau buka:"
    ),
    # results
    "All campaigns": "Semua kampanye",
    "All roles": "Semua peran",
    "All groups": "Semua kelompok",
    "Any status": "Semua status",
    "Summary of submitted responses": "Ringkasan respons yang terkirim",
    "%(n)d submitted responses in this selection.": "%(n)d respons terkirim dalam pilihan ini.",
    "fewer than %(k)d": "kurang dari %(k)d",
    "Results are shown only for at least %(k)d responses, so that nobody in a small group can "
    "be recognised. Widen the selection.": (
        "Hasil hanya ditampilkan bila ada paling sedikit %(k)d respons, agar tidak ada orang "
        "dalam kelompok kecil yang dapat dikenali. Perluas pilihan Anda."
    ),
    "%(n)d answered": "%(n)d menjawab",
    "mean %(m)s": "rerata %(m)s",
    "min %(a)s, max %(b)s": "min %(a)s, maks %(b)s",
    "Row": "Baris",
    "Mean": "Rerata",
    "Answered": "Menjawab",
    "Choose a campaign to see the summary of each question.": (
        "Pilih kampanye untuk melihat ringkasan setiap pertanyaan."
    ),
    "%(n)d responses": "%(n)d respons",
    "not shown": "tidak ditampilkan",
    "No response matches.": "Tidak ada respons yang cocok.",
}
