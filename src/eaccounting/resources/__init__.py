"""Typed resource facades over the generated models: ``client.customers.get(id)`` etc.

Each facade offers the operations the API supports for it (list / iterate / get / create /
update / delete) plus resource-specific actions (convert, PDF, payments). Every call goes
through the owning client's pipeline. Anything not covered here is reachable through
``client.api`` (all generated operations) or ``client.request``.

The facades are generated, once, into ``eaccounting/_async/resources.py`` from the resource
table (``spec/facade_table.py``) and the effective spec (``spec/facade.py``, ``make facade``);
hand-written extras live in ``_async/extras.py``; the sync ones in ``_sync/`` are derived from
them (``scripts/unasync.py``). See docs/facades.md.
"""

from __future__ import annotations

from .._async import resources as _async_resources
from .._async.resources import *  # noqa: F403
from .._sync import resources as _sync_resources
from .._sync.resources import *  # noqa: F403

__all__ = [*_async_resources.__all__, *_sync_resources.__all__]
