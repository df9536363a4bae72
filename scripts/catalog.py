"""Keep the French catalog in step with the code: ``python scripts/catalog.py``.

1. extracts every marked message from ``src/callwatch`` with Babel (``_``, ``N_``,
   ``ngettext``, ``gettext_in``, ``pgettext_in``) and every word-table entry
   (:data:`callwatch.i18n._WORDS`, the phrase book of :mod:`callwatch.rules.phrases`,
   beneficiary labels), each with its key as context;
2. merges them into ``locale/fr/LC_MESSAGES/callwatch.po`` (translations kept,
   new messages added untranslated, gone ones dropped);
3. compiles the ``.mo`` beside it (committed: CI installs with plain pip).

``--check`` changes nothing and exits 1 when a message has no French or the
``.mo`` is stale (tests/test_catalog.py runs the same checks).

``--absorb`` first moves into the catalog the French of word-table entries still
written in the former bilingual forms — ``{"fr": …, "en": …}`` in ``i18n._WORDS``,
``(English, French)`` in ``phrases._TEXT``, ``(one, many, un, des)`` in
``phrases._NOUNS`` — leaving English in the code: run it after merging a branch that
added words the old way, then ``ruff format``.
"""

from __future__ import annotations

import ast
import io
import json
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "callwatch"
PO = SRC / "locale" / "fr" / "LC_MESSAGES" / "callwatch.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {
    "_": None,
    "N_": None,
    "ngettext": (1, 2),
    "gettext_in": (2,),
    "pgettext_in": ((2, "c"), 3),
}


def wanted() -> Catalog:
    """Every message the code can show, as an empty catalog."""
    sys.path.insert(0, str(ROOT / "src"))
    from callwatch import i18n
    from callwatch.domain import codes
    from callwatch.rules import phrases

    found = Catalog(locale="fr", domain="callwatch", project="callwatch")
    for filename, lineno, message, _comments, context in extract_from_dir(
        str(SRC), method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        found.add(message, locations=[(f"src/callwatch/{filename}", lineno)], context=context)
    for key, english in i18n._WORDS.items():
        found.add(english, context=key)
    for key, english in phrases._TEXT.items():
        found.add(english, context="say:" + key)
    for key, (one, many) in phrases._PLURALS.items():
        found.add((one, many), context="say:" + key)
    for key, (one, many) in phrases._NOUNS.items():
        found.add((one, many), context="noun:" + key)
    for _fr, english in codes.BENEFICIARIES.values():
        found.add(english, context="beneficiary")
    for english in codes.COST_CATEGORIES.values():
        found.add(english, context="cost")
    return found


def merged() -> Catalog:
    with PO.open("rb") as f:
        current = read_po(f, locale="fr", domain="callwatch")
    created = current.creation_date
    current.update(wanted(), no_fuzzy_matching=True, update_header_comment=False)
    # Kept as it was, like the missing "#:" lines (po_bytes): a branch that reruns this
    # script then changes only the messages it changed, and merges without conflicts.
    current.creation_date = created
    current.obsolete.clear()
    # The classic French plural (0 and 1 singular), not CLDR's three forms with "millions".
    current._num_plurals, current._plural_expr = 2, "(n > 1)"
    current.fuzzy = False  # a fuzzy header would leave the .mo without its plural rule
    current.header_comment = (
        "# French messages of callwatch (scripts/catalog.py keeps them in step)."
    )
    current.last_translator = "callwatch developers"
    return current


def po_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(
        out,
        catalog,
        width=100,
        sort_output=False,
        omit_header=False,
        include_previous=False,
        no_location=True,  # grep finds where a message is; line numbers only made conflicts
    )
    return out.getvalue()


def mo_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def untranslated(catalog: Catalog) -> list[str]:
    return [
        f"{m.context or ''}|{m.id}"
        for m in catalog
        if m.id and (m.fuzzy or not (all(m.string) if isinstance(m.string, tuple) else m.string))
    ]


TABLES = {
    SRC / "i18n.py": {"_WORDS": ""},
    SRC / "rules" / "phrases.py": {"_TEXT": "say:", "_NOUNS": "noun:"},
}


def absorb() -> dict[tuple[str, object], object]:
    """Rewrite bilingual word-table entries as English only; their French, by
    (context, English)."""
    french: dict[tuple[str, object], object] = {}
    for path, tables in TABLES.items():
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines(keepends=True)
        starts = [0]
        for line in lines:
            starts.append(starts[-1] + len(line.encode("utf-8")))
        raw = text.encode("utf-8")
        edits: list[tuple[int, int, str]] = []
        for node in ast.walk(ast.parse(text)):
            target = node.target if isinstance(node, ast.AnnAssign) else None
            if target is None and isinstance(node, ast.Assign) and len(node.targets) == 1:
                target = node.targets[0]
            if not isinstance(target, ast.Name) or target.id not in tables:
                continue
            value = getattr(node, "value", None)
            if not isinstance(value, ast.Dict):
                continue
            prefix = tables[target.id]
            for key_node, entry in zip(value.keys, value.values, strict=True):
                if not isinstance(key_node, ast.Constant):
                    continue
                key, literal = str(key_node.value), ast.literal_eval(entry)
                if isinstance(literal, dict) and set(literal) == {"fr", "en"}:
                    english, translated = literal["en"], literal["fr"]
                    new = json.dumps(english, ensure_ascii=False)
                elif isinstance(literal, tuple) and len(literal) == 2 and prefix == "say:":
                    english, translated = literal
                    new = json.dumps(english, ensure_ascii=False)
                elif isinstance(literal, tuple) and len(literal) == 4 and prefix == "noun:":
                    english, translated = literal[:2], literal[2:]
                    new = "(" + ", ".join(json.dumps(w, ensure_ascii=False) for w in english) + ")"
                else:
                    continue
                french[(prefix + key, english)] = translated
                a = starts[entry.lineno - 1] + entry.col_offset
                b = starts[entry.end_lineno - 1] + entry.end_col_offset  # type: ignore[operator]
                edits.append((a, b, new))
        for a, b, new in sorted(edits, reverse=True):
            raw = raw[:a] + new.encode("utf-8") + raw[b:]
        if edits:
            path.write_bytes(raw)
            print(f"{path.relative_to(ROOT)}: {len(edits)} entries made English-only")
    return french


def main(argv: list[str]) -> int:
    absorbed = absorb() if "--absorb" in argv else {}
    catalog = merged()
    for message in catalog:
        found = absorbed.get((message.context or "", message.id))
        empty = not (all(message.string) if isinstance(message.string, tuple) else message.string)
        if found is not None and empty:
            message.string = found
    if "--check" in argv:
        with PO.open("rb") as f:
            committed = read_po(f, locale="fr", domain="callwatch")
        problems = untranslated(catalog)
        if {(m.id, m.context) for m in catalog} != {(m.id, m.context) for m in committed}:
            problems.append("callwatch.po is not up to date: run python scripts/catalog.py")
        if MO.read_bytes() != mo_bytes(committed):
            problems.append("callwatch.mo is stale: run python scripts/catalog.py")
        print("\n".join(problems))
        return 1 if problems else 0
    PO.write_bytes(po_bytes(catalog))
    MO.write_bytes(mo_bytes(catalog))
    missing = untranslated(catalog)
    print(f"{len(catalog)} messages, {len(missing)} without French")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
