"""Translation catalogs: extract, update, compile and check (`python scripts/catalogs.py CMD`).

The core catalog (portal/translations) holds every string outside a feature that keeps its own
catalog; a feature with portal/<feature>/translations owns the strings of portal/<feature>/ and
portal/templates/<feature>/. Flask-Babel merges all of them at run time.
"""

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PORTAL = ROOT / "portal"
LOCALES = ("da", "sv", "en")
KEYWORDS = ["-k", "_l", "-k", "lazy_gettext", "-k", "ngettext:1,2", "-k", "lazy_ngettext:1,2"]
KEYWORDS += ["-k", "lazy_pgettext:1c,2"]  # a text that needs its own words in one place


def catalogs() -> dict[Path, list[Path]]:
    """Catalog folder -> source paths it is extracted from."""
    features = sorted(p.parent for p in PORTAL.glob("*/translations"))
    out = {}
    for feature in features:
        sources = [feature]
        templates = PORTAL / "templates" / feature.name
        if templates.exists():
            sources.append(templates)
        out[feature / "translations"] = sources
    owned = {p for sources in out.values() for p in sources}
    core = [
        p for p in sorted(PORTAL.iterdir()) if p.name not in {"translations", "static", "templates"}
    ]
    core = [p for p in core if p not in owned and (p.is_dir() or p.suffix == ".py")]
    core += [p for p in sorted((PORTAL / "templates").iterdir()) if p not in owned]
    out[PORTAL / "translations"] = core
    return out


def pybabel(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], check=True)


def extract_and_update() -> None:
    """Refresh every catalog's .pot and .po files from the sources."""
    for folder, sources in catalogs().items():
        folder.mkdir(parents=True, exist_ok=True)
        files = []
        for src in sources:
            files += [
                str(p)
                for p in ([src] if src.is_file() else sorted(src.rglob("*")))
                if p.suffix in (".py", ".html") and "translations" not in p.parts
            ]
        pot = folder / "messages.pot"
        pybabel(
            "extract",
            "-F",
            str(ROOT / "babel.cfg"),
            *KEYWORDS,
            "--no-location",
            "--sort-output",
            "--omit-header",
            "-o",
            str(pot),
            *files,
        )
        for lang in LOCALES:
            po = folder / lang / "LC_MESSAGES" / "messages.po"
            cmd = "update" if po.exists() else "init"
            extra = ["--no-fuzzy-matching", "--ignore-obsolete"] if cmd == "update" else []
            extra.append("--no-wrap")
            pybabel(cmd, "-i", str(pot), "-d", str(folder), "-l", lang, *extra)
        fill_english(folder / "en" / "LC_MESSAGES" / "messages.po")


def fill_english(po: Path) -> None:
    """English is the source language: its catalog repeats each msgid, so none is empty."""
    with po.open("rb") as fh:
        catalog = read_po(fh, locale="en")
    for msg in catalog:
        if not msg.id:
            continue
        if isinstance(msg.id, tuple | list):
            msg.string = tuple(msg.string[i] or msg.id[min(i, 1)] for i in range(len(msg.string)))
        elif not msg.string:
            msg.string = msg.id
    with po.open("wb") as fh:
        write_po(fh, catalog, width=0)


def compile_all() -> None:
    """Compile every .po into .mo (fuzzy entries are left out)."""
    for folder in catalogs():
        if any(folder.glob("*/LC_MESSAGES/messages.po")):
            pybabel("compile", "-d", str(folder), "--statistics")


def problems() -> list[str]:
    """Danish or Swedish messages that are empty or fuzzy."""
    found = []
    for folder in catalogs():
        for lang in ("da", "sv"):
            po = folder / lang / "LC_MESSAGES" / "messages.po"
            if not po.exists():
                continue
            with po.open("rb") as fh:
                catalog = read_po(fh)
            for msg in catalog:
                if not msg.id:
                    continue
                strings = msg.string if isinstance(msg.string, tuple | list) else (msg.string,)
                if msg.fuzzy or not all(strings):
                    found.append(f"{po.relative_to(ROOT)}: {msg.id!r}")
    return found


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "compile"
    if command == "update":
        extract_and_update()
    elif command == "compile":
        compile_all()
    elif command == "check":
        bad = problems()
        print("\n".join(bad) or "all Danish and Swedish messages translated")
        sys.exit(1 if bad else 0)
    else:
        sys.exit(f"unknown command {command}")
