.PHONY: help install test lint samples check

help: ## list the targets
	@grep -E '^[a-z]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

install: ## create .venv and install the project with its dev tools
	python3 -m venv .venv && .venv/bin/pip install -e '.[dev]'

test: ## run the test suite
	.venv/bin/python -m pytest

lint: ## ruff check and format check
	.venv/bin/ruff check cleaner tests && .venv/bin/ruff format --check cleaner tests

samples: ## rewrite samples/*.expected.json from the current code (review git diff after)
	for f in samples/*.input.txt; do .venv/bin/cleaner clean --format json - < "$$f" > "$${f%.input.txt}.expected.json"; done

check: lint test ## what CI runs
