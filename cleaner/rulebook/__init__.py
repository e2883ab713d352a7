"""The rule book: rule files to rule sets, their cache and examples, the catalog, suggestions."""
