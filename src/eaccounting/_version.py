"""The package version and the upstream spec it was generated from.

``__spec_version__`` is the date of Visma's spec named in ``spec/pin.toml``; a new upstream spec
means a new package version (see CHANGELOG.md). tests/install checks the three agree.
"""

__version__ = "0.2.0"
__spec_version__ = "2026-02"
