"""Indonesian texts of the learning record."""

ID = {
    "JP must be greater than zero.": "JP harus lebih dari nol.",
}
