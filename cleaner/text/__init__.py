"""Text: bytes to numbered, repaired, normalized lines."""
