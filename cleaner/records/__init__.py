"""Records: one document of a corpus, and shards of them (JSON lines, Parquet, datasets)."""
