# Derived from src/eaccounting/_async/__init__.py by scripts/unasync.py: do not edit.
# Change the async source and run `make unasync` (`make lint` fails when they drift).
"""The client, sync and async: ``_async/`` is written by hand, ``_sync/`` derived from it."""
