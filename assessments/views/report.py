"""Placeholder module: filled in by the report work."""
