"""Placeholder module: filled in by the coordinator work."""
