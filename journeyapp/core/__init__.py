"""The domain: records, enums, validation, derived facts and the catalogue (stdlib only)."""
