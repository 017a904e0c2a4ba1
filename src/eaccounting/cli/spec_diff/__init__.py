"""What changed between two OpenAPI specs, which changes break clients, and which public
Python names they move.

Usage::

    python -m eaccounting.cli.spec_diff OLD NEW [--json] [--full] [--fail-on-breaking]
    eaccounting spec diff OLD NEW [...]            # the same, through the command line
    make spec-diff OLD=old.yaml NEW=new.yaml

``OLD`` and ``NEW`` are paths or http(s) URLs of OpenAPI 3.x documents (YAML or JSON).
The report covers paths (and empty path items that gained operations), operations, tags (the
``client.api.<tag>`` namespaces), component schemas, properties (added, removed, renamed,
including case-only and irregular-acronym renames), newly required and newly read-only
properties, type/format/nullability changes, parameter changes of shared operations, servers
and security (schemes, flows, scopes, scopes operations require). Breaking changes are
prefixed ``BREAKING`` and list the public names of ``eaccounting`` (``client.api…``) and
``eaccounting_api`` (operation modules, model classes, attributes) that they move or remove.

Exit codes: ``0`` the diff ran (breaking changes or not); ``1`` with ``--fail-on-breaking`` when
there is at least one breaking change; ``2`` usage error or a spec that cannot be read.

Modules, one job each: ``loading`` (read a spec), ``operations`` (index them), ``matching``
(pair names, type properties), ``compare`` (paths, operations, schemas, parameters),
``surface`` (tags, servers, security), ``names`` (the generator's naming rules), ``facades``
(which ``client.<resource>`` uses a model or path), ``results``
(the records), ``text`` (the report), ``command`` (the command line). It ships with the ``cli``
extra, which brings PyYAML for YAML specs; JSON specs need only the standard library.
"""

from __future__ import annotations

from .command import main
from .compare import diff
from .loading import SpecDiffError, load
from .matching import RenameKind
from .results import (
    Change,
    Operation,
    ParameterChange,
    PathGained,
    PropertyChange,
    PropertyRef,
    Rename,
    Retag,
    SpecDiff,
    SpecStats,
    SurfaceChange,
)
from .text import render

__all__ = [
    "Change",
    "Operation",
    "ParameterChange",
    "PathGained",
    "PropertyChange",
    "PropertyRef",
    "Rename",
    "RenameKind",
    "Retag",
    "SpecDiff",
    "SpecDiffError",
    "SpecStats",
    "SurfaceChange",
    "diff",
    "load",
    "main",
    "render",
]
