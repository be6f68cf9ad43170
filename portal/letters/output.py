"""A batch's shared files: the merged print file and the manifest, rebuilt from the letters,
and the list of letters skipped because their citizen no longer qualified (with the reason).

Both are written to temp files and renamed, so a crash leaves the previous version or none.
Rows are streamed from the database and letters from disk one at a time, so memory does not
grow with the size of the batch.
"""

import hashlib
from pathlib import Path

from sqlalchemy import select

from portal.citizens.models import Citizen
from portal.documents import csvcells
from portal.documents.files import atomic_output
from portal.documents.merge import StreamingPdfWriter
from portal.i18n import force_locale
from portal.letters.labels import skip_reason_text
from portal.letters.models import Letter, LetterBatch

MERGED_NAME = "merged.pdf"
MANIFEST_NAME = "manifest.csv"
SKIPPED_NAME = "skipped.csv"
SKIPPED_COLUMNS = ("reference", "name", "address", "reason")
SKIPPED_HEADERS = {
    "da": ("Reference", "Navn", "Adresse", "Årsag"),
    "sv": ("Referens", "Namn", "Adress", "Orsak"),
}
MANIFEST_COLUMNS = ("reference", "name", "address", "file", "pages", "sha256")
# The header row in the municipality's language, for the people who open the file.
MANIFEST_HEADERS = {
    "da": ("Reference", "Navn", "Adresse", "Fil", "Sider", "SHA-256"),
    "sv": ("Referens", "Namn", "Adress", "Fil", "Sidor", "SHA-256"),
}


def file_sha256(path: Path) -> str:
    """SHA-256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_outputs(
    session, batch: LetterBatch, language: str = "en"
) -> tuple[int | None, str | None]:
    """Write merged.pdf (each letter on a new sheet) and manifest.csv, its header row in
    `language` (the municipality's); returns (pages, sha)."""
    directory = Path(batch.directory)
    rows = session.execute(
        select(
            Letter.reference,
            Letter.recipient_name,
            Letter.recipient_address,
            Letter.filename,
            Letter.pages,
            Letter.sha256,
        )
        .where(Letter.batch_id == batch.id, Letter.status == "done")
        .order_by(Letter.position)
        .execution_options(yield_per=200)
    )
    merged_path = directory / MERGED_NAME
    with (
        atomic_output(merged_path) as pdf_fh,
        # As the reports' exports: a BOM and semicolons, so Danish and Swedish Excel opens
        # it in columns with "ø" intact when the file is double-clicked.
        atomic_output(directory / MANIFEST_NAME, "w", newline="", encoding="utf-8-sig") as csv_fh,
    ):
        writer = StreamingPdfWriter(pdf_fh)
        table = csvcells.writer(csv_fh, delimiter=";")
        table.writerow(MANIFEST_HEADERS.get(language, MANIFEST_COLUMNS))
        count = 0
        for reference, name, address, filename, pages, sha in rows:
            writer.add_document(directory / filename, pad_to_even=True)
            table.writerow((reference, name, address, filename, pages, sha))
            count += 1
        if not count:
            writer.add_blank_page()  # nothing rendered: a valid, empty print file
        pages = writer.finish()
    write_skipped(session, batch, language)
    return pages, file_sha256(merged_path)


def write_skipped(session, batch: LetterBatch, language: str = "en") -> None:
    """Write skipped.csv: the letters not made because the citizen no longer qualified, with
    the reason in `language` (the header row only when there are none)."""
    rows = session.execute(
        select(Letter.reference, Citizen.name, Citizen.address, Citizen.postcode, Citizen.city)
        .add_columns(Letter.error)
        .join(Citizen, Citizen.id == Letter.citizen_id)
        .where(Letter.batch_id == batch.id, Letter.status == "skipped")
        .order_by(Letter.position)
        .execution_options(yield_per=200)
    )
    path = Path(batch.directory) / SKIPPED_NAME
    with (
        atomic_output(path, "w", newline="", encoding="utf-8-sig") as csv_fh,
        force_locale(language),
    ):
        table = csvcells.writer(csv_fh, delimiter=";")
        table.writerow(SKIPPED_HEADERS.get(language, SKIPPED_COLUMNS))
        for reference, name, address, postcode, city, reason in rows:
            place = f"{postcode or ''} {city or ''}".strip()
            table.writerow((reference, name, f"{address}, {place}", skip_reason_text(reason)))
