"""Placeholder module: filled in by the respondent work."""
