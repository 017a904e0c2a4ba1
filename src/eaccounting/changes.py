"""Incremental sync: fetch what changed since a watermark.

    result = changed_since(client.customers, since=last_watermark)
    for customer in result:
        upsert(customer)
    save(result.watermark)   # the server's clock, taken from the first page

The watermark is ``Meta.ServerTimeUtc`` of the first page (the server's clock, never the
client's), so nothing changed while the sync ran is skipped next time. Records are filtered
on the resource's timestamp (``ChangedUtc`` or ``ModifiedUtc``) with ``gt`` and ordered by it;
deletions are invisible to this API.
"""

from __future__ import annotations

from ._async.changes import AsyncChangedSince, achanged_since
from ._sync.changes import ChangedSince, changed_since

__all__ = ["AsyncChangedSince", "ChangedSince", "achanged_since", "changed_since"]
