"""Organisation and people: instansi, org-unit tree, positions (jabatan) and employees (pegawai)."""
