"""The engine: the rule kinds, the pipeline that runs them on one document, and its results."""
