"""The learning record (riwayat pengembangan kompetensi) and progress toward 20 JP a year."""
