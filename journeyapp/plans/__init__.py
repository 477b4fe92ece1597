"""Printable progress plans and "What we hold about you" (reportlab lives only here)."""

from journeyapp.core.lazy_patterns import lazy_compiles

# reportlab compiles at import patterns a plan almost never uses: the URL matcher for wrapping
# long links (170 ms to compile), the CJK splitter (18 ms), hyphenation's letter classes and
# the unsafe-name scan of its expression evaluator (8 ms, never used). Every use of these
# modules' top-level patterns is a method call or an attribute (read in reportlab 4.x/5.0), so
# they are compiled on first use instead. Every module of this package goes through platypus.
_LAZY_PATTERNS = frozenset(
    {"reportlab.platypus.paragraph", "reportlab.lib.textsplit", "reportlab.lib.rl_safe_eval"}
)

with lazy_compiles(_LAZY_PATTERNS):
    import reportlab.platypus  # noqa: F401
