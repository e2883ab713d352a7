"""Batches of files: sources, planning, one file's processing, the pool, the report."""
