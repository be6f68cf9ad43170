"""Fill Danish and Swedish msgstrs of a catalog from a Python dict file (translator helper).

Usage: python scripts/fill_catalog.py CATALOG_DIR TRANSLATIONS.py
TRANSLATIONS.py defines T = {msgid: (danish, swedish)}; a plural msgid is a (singular, plural)
tuple whose value is ((da_one, da_many), (sv_one, sv_many)). Existing translations are kept.
"""

import runpy
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po


def fill(folder: Path, table: dict) -> list[str]:
    """Write the translations into da/sv; return the msgids still missing."""
    missing = []
    for index, lang in enumerate(("da", "sv")):
        path = folder / lang / "LC_MESSAGES" / "messages.po"
        with path.open("rb") as fh:
            catalog = read_po(fh, locale=lang)
        for msg in catalog:
            if not msg.id:
                continue
            done = all(msg.string) if isinstance(msg.string, tuple | list) else bool(msg.string)
            if done and not msg.fuzzy:
                continue
            if msg.id in table:
                msg.string = table[msg.id][index]
                msg.flags.discard("fuzzy")
            elif index == 0:
                missing.append(msg.id if isinstance(msg.id, str) else msg.id[0])
        with path.open("wb") as fh:
            write_po(fh, catalog, width=0, omit_header=False)
    return missing


if __name__ == "__main__":
    table = runpy.run_path(sys.argv[2])["T"]
    left = fill(Path(sys.argv[1]), table)
    print("\n".join(f"missing: {m!r}" for m in left) or "all filled")
