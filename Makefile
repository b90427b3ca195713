# Developer entry points for the erp_key_user addon. The logic lives in tools/*.sh.
#   make test                 # whole suite against fresh databases
#   make test PYTHON=/path/to/python DB=mydb PYTEST_ARGS="-k portal"
#   make demo                 # demo database served on http://localhost:8069
#   make wheel                # dist/odoo_addon_erp_key_user-*.whl (and the sdist)

# A Python that imports Odoo 19; if it cannot, .venv is created with Odoo from ODOO_SOURCE.
PYTHON ?= python3
# Any path or URL pip accepts: the official Odoo 19.0 source archive by default.
ODOO_SOURCE ?= https://nightly.odoo.com/19.0/nightly/src/odoo_19.0.latest.tar.gz
DB ?= erp_key_user_test
DEMO_DB ?= erp_key_user_demo
# Extra pytest arguments for `make test`, e.g. PYTEST_ARGS="-k portal -x"
PYTEST_ARGS ?=
export PYTHON ODOO_SOURCE DB DEMO_DB

.DEFAULT_GOAL := help
.PHONY: help test test-wheel wheel demo lint bench bench-growth load bench-search

help: ## show this help
	@echo "erp_key_user developer targets (variables: PYTHON=$(PYTHON) DB=$(DB) DEMO_DB=$(DEMO_DB))"
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'
	@echo "  ODOO_SOURCE=$(ODOO_SOURCE)"

test: ## install the module (with and without demo data) and run the whole test suite
	bash tools/test.sh $(PYTEST_ARGS)

test-wheel: ## build the wheel, install it apart from this checkout and run its tests (PYTEST_ARGS too)
	bash tools/test_installed_wheel.sh $(PYTEST_ARGS)

wheel: ## build and check the wheel and the sdist into dist/ (the addon, none of the dev tooling)
	"$$(bash tools/odoo_python.sh)" tools/check_wheel.py --keep dist

demo: ## create the demo database (DEMO_DB) with demo data and serve it on http://localhost:8069
	bash tools/demo.sh

lint: ## ruff, pylint-odoo, oca-checks-odoo-module and oca-checks-po
	bash tools/lint.sh

bench: ## performance benchmarks (bench/run.py; options in BENCH_ARGS, e.g. BENCH_ARGS=--small)
	$(PYTHON) bench/run.py $(BENCH_ARGS)

bench-growth: ## portal and backend list at 10,000 / 50,000 / 200,000 requests, ours and helpdesk_mgmt (bench/growth.py)
	$(PYTHON) bench/growth.py $(BENCH_ARGS)

load: ## Locust load on --workers=4, ours and helpdesk_mgmt, with and without a read replica (bench/load.py; LOAD_ARGS)
	$(PYTHON) bench/load.py $(LOAD_ARGS)

bench-search: ## self-help search: hit@5 and MRR of the evaluation set (BENCH_ARGS="--volume 200000" adds the time per suggestion)
	$(PYTHON) bench/self_help_eval.py $(BENCH_ARGS)
