"""Printable progress plans and "What we hold about you" (reportlab lives only here)."""
