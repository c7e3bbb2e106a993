"""Models arrive with later issues."""
