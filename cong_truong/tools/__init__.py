"""Maintainers' and editors' tools that are not Pelican plugins (run from tasks.py)."""
