# visma-eaccounting: every target sets up what it needs (idempotently) on a fresh machine.
#   make contract   the main job: the contract harness against the embedded emulator
#   make test       the test suite (.ci/run adds make lint and make typecheck)
#   make bench      the performance measurements, written to docs/benchmarks.md
# Pipeline: make spec → make overlay → make generate   (see README "Regenerate after a spec change")

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
STAMP  := $(VENV)/.installed
GEN    := generated
export EACCOUNTING_SPEC ?=

.PHONY: servers venv spec overlay validate generate spec-update spec-diff spec-check test lint typecheck \
        contract record bench clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

# The pinned upstream spec (refuses a sha256 mismatch).
$(GEN)/upstream.yaml: spec/pin.toml | $(STAMP)
	$(PY) -m spec fetch
spec: $(STAMP)
	$(PY) -m spec fetch

# The effective spec: overlays applied strictly (an action that matches nothing fails the build).
$(GEN)/openapi.json: $(GEN)/upstream.yaml $(wildcard overlays/*.yaml) $(wildcard spec/*.py)
	$(PY) -m spec overlay
	$(PY) -m spec validate
overlay: $(GEN)/openapi.json

$(GEN)/eaccounting_api/openapi.json: $(GEN)/openapi.json spec/generator.yaml $(wildcard spec/templates/*)
	$(PY) -m spec generate
generate: $(GEN)/eaccounting_api/openapi.json

# Accept a new upstream version: make spec-update EACCOUNTING_SPEC=path-or-url
spec-update: $(STAMP)
	@test -n "$(EACCOUNTING_SPEC)" || (echo "set EACCOUNTING_SPEC=path-or-url of the new spec" && exit 2)
	$(PY) -m spec update

# What changed between two specs: make spec-diff OLD=old.yaml NEW=new.yaml
spec-diff: $(STAMP)
	@test -n "$(OLD)" -a -n "$(NEW)" || (echo "usage: make spec-diff OLD=old.yaml NEW=new.yaml" && exit 2)
	$(PY) -m eaccounting.spec_diff "$(OLD)" "$(NEW)"

# Which overlay actions still apply to another spec: make spec-check SPEC=path
spec-check: $(STAMP)
	@test -n "$(SPEC)" || (echo "usage: make spec-check SPEC=path-or-url" && exit 2)
	$(PY) -m spec check --spec "$(SPEC)"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: generate
	$(BIN)/mypy src/eaccounting

# The shared-store tests (tests/scale) start real Redis and PostgreSQL servers on loopback;
# install the server packages when they are missing (CI runs as root; elsewhere via sudo).
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
servers:
	@command -v redis-server >/dev/null && \
	 { command -v initdb >/dev/null || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; } || \
	 { echo "installing redis-server and postgresql (apt-get) for the tests"; \
	   $(SUDO) apt-get update -qq && \
	   DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends \
	     redis-server postgresql >/dev/null; }

test: generate servers
	$(BIN)/pytest

# The main job: replay every region's cassettes through the client and check the contract.
# Reports land in reports/ (Markdown, JUnit XML, HTML).
contract: generate
	$(PY) -m harness --report-dir reports

# Re-record cassettes: make record REGION=se TARGET=emulator|sandbox (REGION empty = all four)
REGION ?=
TARGET ?= emulator
record: generate
	$(PY) -m harness --mode record --target $(TARGET) $(if $(REGION),--region $(REGION)) --report-dir reports

bench: generate
	$(PY) benchmarks/run.py

clean:
	rm -rf $(GEN) .pytest_cache .mypy_cache .ruff_cache
