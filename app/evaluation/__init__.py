"""Evaluation of training: Kirkpatrick levels 1–4 sent on time, scored and fed back."""
