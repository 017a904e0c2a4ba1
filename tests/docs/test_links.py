"""Every link of README.md and docs/*.md leads somewhere: the file exists, the #anchor too."""

from __future__ import annotations

from pathlib import Path

import pytest

from .links import REPO, anchors, broken_links, local_links, slug

PAGES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(REPO)))
def test_every_local_link_resolves(page: Path) -> None:
    assert broken_links(page) == []


def test_the_readme_links_its_docs_pages_and_sections() -> None:
    links = local_links(REPO / "README.md")
    assert {f"docs/{p.name}" for p in (REPO / "docs").glob("*.md")} <= set(links)
    assert "#authenticate" in links and "#rate-limits-and-retries" in links


def test_a_broken_file_or_anchor_is_reported(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "guide.md").write_text("# Guide\n\n## Rate limits & retries\n")
    page = tmp_path / "README.md"
    page.write_text(
        "# Title\n\n[ok](docs/guide.md#rate-limits--retries) [self](#title) "
        "[web](https://example.com/x) [gone](docs/gone.md) [bad](docs/guide.md#nope) "
        "[bad-self](#missing)\n\n```python\n# not a heading\nx = [a](b)\n```\n"
    )
    assert broken_links(page) == [
        f"docs/gone.md: {tmp_path / 'docs' / 'gone.md'} does not exist",
        "docs/guide.md#nope: guide.md has no heading with anchor #nope",
        "#missing: README.md has no heading with anchor #missing",
    ]


def test_anchors_follow_githubs_slugs(tmp_path: Path) -> None:
    assert slug("Create an invoice from a draft") == "create-an-invoice-from-a-draft"
    assert slug("`make contract`: the harness") == "make-contract-the-harness"
    assert slug("Rate limits & retries") == "rate-limits--retries"
    page = tmp_path / "p.md"
    page.write_text("## One\n```\n## not a heading\n```\n### Two (2)\n")
    assert anchors(page) == {"one", "two-2"}
