"""Qt adapters over plain Python records (no SQL, no business rules)."""
