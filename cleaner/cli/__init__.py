"""The command line: one module per command, on the groups of cleaner.cli.base."""
