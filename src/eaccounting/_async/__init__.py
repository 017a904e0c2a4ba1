"""The client, sync and async: ``_async/`` is written by hand, ``_sync/`` derived from it."""
