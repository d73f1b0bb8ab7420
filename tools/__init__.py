"""Repository maintenance scripts (not part of the distributed package)."""
