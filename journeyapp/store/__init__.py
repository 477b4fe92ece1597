"""The only package that knows SQL: connections, migrations, rows <-> records, the journey log."""
