"""Indonesian texts for WTForms' built-in validation messages (WTForms ships no Indonesian)."""

ID = {
    "This field is required.": "Wajib diisi.",
    "Not a valid choice.": "Pilihan tidak sah.",
    "Invalid Choice: could not coerce.": "Pilihan tidak sah.",
    "Choices cannot be None.": "Pilihan tidak boleh kosong.",
    "Not a valid integer value.": "Bukan bilangan bulat yang sah.",
    "Not a valid decimal value.": "Bukan bilangan desimal yang sah.",
    "Not a valid float value.": "Bukan bilangan yang sah.",
    "Not a valid date value.": "Bukan tanggal yang sah.",
    "Not a valid datetime value.": "Bukan tanggal dan waktu yang sah.",
    "Not a valid time value.": "Bukan waktu yang sah.",
    "Invalid email address.": "Alamat email tidak sah.",
    "Field must be equal to %(other_name)s.": "Isian harus sama dengan %(other_name)s.",
    "Field must be between %(min)d and %(max)d characters long.": "Isian harus %(min)d sampai %(max)d karakter.",
    "Number must be at least %(min)s.": "Angka minimal %(min)s.",
    "Number must be at most %(max)s.": "Angka maksimal %(max)s.",
    "Number must be between %(min)s and %(max)s.": "Angka harus antara %(min)s dan %(max)s.",
    "Invalid input.": "Isian tidak sah.",
    "Invalid value, must be one of: %(values)s.": "Nilai harus salah satu dari: %(values)s.",
    "CSRF token missing.": "Token keamanan formulir tidak ada.",
    "CSRF token expired.": "Token keamanan formulir kedaluwarsa.",
    "CSRF failed.": "Pemeriksaan keamanan formulir gagal.",
    "Invalid CSRF Token.": "Token keamanan formulir tidak sah.",
    "'%(value)s' is not a valid choice for this field.": "'%(value)s' bukan pilihan yang sah untuk isian ini.",
    "'%(value)s' are not valid choices for this field.": "'%(value)s' bukan pilihan yang sah untuk isian ini.",
}
# (singular, plural) -> Indonesian (one form: Indonesian has no grammatical plural).
PLURALS = {
    (
        "Field must be at least %(min)d character long.",
        "Field must be at least %(min)d characters long.",
    ): "Isian minimal %(min)d karakter.",
    (
        "Field cannot be longer than %(max)d character.",
        "Field cannot be longer than %(max)d characters.",
    ): "Isian maksimal %(max)d karakter.",
    (
        "Field must be exactly %(max)d character long.",
        "Field must be exactly %(max)d characters long.",
    ): "Isian harus tepat %(max)d karakter.",
}
# Not found by extraction (they live in WTForms): always part of the catalog.
EXTRA = list(ID) + list(PLURALS)
