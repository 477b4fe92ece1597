"""Translations of printed documents: list the sentences to translate, and compile .po to .mo.

python tools/translations.py missing   # sentences each language has not translated yet
python tools/translations.py compile   # resources/translations/*/LC_MESSAGES/journeyapp.mo
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted((ROOT / "journeyapp" / "core" / "documents").glob("*.py"))
FOLDER = ROOT / "resources" / "translations"
DOMAIN = "journeyapp"


def messages() -> list[str]:
    """Every fixed sentence of the documents: t("...") calls, the *_WORDS tables, the catalogue
    and the answer codes' labels."""
    import tomllib

    found: dict[str, None] = {}
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
                # t("..."), self.t("...") and the record listing's m(t, "Label", value)
                index = {"t": 0, "m": 1, "_maybe": 1, "add": 1}.get(name)
                if (
                    index is not None
                    and len(node.args) > index
                    and isinstance(node.args[index], ast.Constant)
                    and isinstance(node.args[index].value, str)
                ):
                    found[node.args[index].value] = None
            targets = []
            if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                targets = [node.target.id]
            elif isinstance(node, ast.Assign):
                targets = [t.id for t in node.targets if isinstance(t, ast.Name)]
            value = getattr(node, "value", None)
            if any(
                n.endswith("_WORDS") or n in ("ICO", "source_words", "decision_words")
                for n in targets
            ):
                for const in ast.walk(value) if value is not None else ():
                    if isinstance(const, ast.Dict):
                        for v in const.values:
                            if isinstance(v, ast.Constant) and isinstance(v.value, str):
                                found[v.value] = None
                    elif (
                        isinstance(const, ast.Constant)
                        and isinstance(const.value, str)
                        and isinstance(value, (ast.Constant, ast.JoinedStr, ast.BinOp))
                    ):
                        found[const.value] = None
            if isinstance(node, ast.Dict):
                for k, v in zip(node.keys, node.values, strict=True):
                    if (
                        isinstance(k, ast.Attribute)
                        and isinstance(v, ast.Constant)
                        and isinstance(v.value, str)
                        and path.name != "wording.py"
                    ):
                        found[v.value] = None
    # How "What we hold about you" names each kind of record (HELD_AS in the record registry).
    records = ast.parse((ROOT / "journeyapp" / "core" / "records.py").read_text(encoding="utf-8"))
    for node in ast.walk(records):
        if (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and node.target.id == "HELD_AS"
            and isinstance(node.value, ast.Constant)
            and node.value.value
        ):
            found[str(node.value.value)] = None
    catalogue = tomllib.loads((ROOT / "resources" / "catalogue.toml").read_text(encoding="utf-8"))
    for list_name in ("stages", "outcome_areas", "services", "milestone_types", "contact_kinds"):
        for entry in catalogue.get(list_name, []):
            for field in ("label", "low", "high"):
                if entry.get(field):
                    found[str(entry[field])] = None
    # The answers of the funder's return's questions, as "What we hold about you" names them.
    codes = tomllib.loads((ROOT / "resources" / "codes.toml").read_text(encoding="utf-8"))
    for list_name, entries in codes.items():
        if isinstance(entries, list) and list_name != "outcomes":
            for entry in entries:
                if isinstance(entry, dict) and entry.get("label"):
                    found[str(entry["label"])] = None
    return list(found)


def compile_all() -> None:
    """Write each language's .mo from its .po (run after editing a .po file)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in sorted(FOLDER.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        with po.open("rb") as handle:
            catalog = read_po(handle)
        with po.with_suffix(".mo").open("wb") as handle:
            write_mo(handle, catalog)
        print(f"compiled {po.relative_to(ROOT)}")


def missing() -> None:
    """Print, per language, the sentences its catalogue does not translate yet."""
    from babel.messages.pofile import read_po

    wanted = messages()
    for po in sorted(FOLDER.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        with po.open("rb") as handle:
            catalog = read_po(handle)
        have = {m.id for m in catalog if m.id and m.string}
        gaps = [m for m in wanted if m not in have]
        print(f"{po.parent.parent.name}: {len(gaps)} of {len(wanted)} not translated")
        for gap in gaps:
            print(f"  {gap}")


if __name__ == "__main__":
    {"compile": compile_all, "missing": missing}.get(
        sys.argv[1] if len(sys.argv) > 1 else "", missing
    )()
