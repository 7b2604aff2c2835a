"""Reusable Streamlit pieces. Logic that a test needs lives in ``portfolio/``, not here."""
