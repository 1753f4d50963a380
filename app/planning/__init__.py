"""The annual competency development plan (RPK): drafting, editing, review, adoption, documents."""
