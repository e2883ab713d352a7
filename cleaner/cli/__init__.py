"""The command line: one module per command, registered on the groups of cleaner.cli.base and
assembled in cleaner.cli.main."""
