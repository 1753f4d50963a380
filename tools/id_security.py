"""Indonesian translations of the security plumbing (uploads, bounded input, login limits)."""

ID = {
    "Line %(line)d: %(problem)s": "Baris %(line)d: %(problem)s",
    "the line is not valid CSV.": "baris ini bukan CSV yang sah.",
    "a cell is longer than %(n)d characters.": "ada sel yang lebih panjang dari %(n)d karakter.",
}
