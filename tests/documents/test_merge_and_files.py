"""Streaming merge (new sheet per document) and atomic writes."""

import io

import pytest
from pypdf import PdfReader, PdfWriter

from portal.documents.files import atomic_output, remove_stale_temp_files, write_atomic
from portal.documents.merge import merge_files
from portal.documents.pdf import render_pdf


def _doc(tmp_path, name: str, pages: int):
    body = "".join(f'<p style="break-after: page">{name} page {i + 1}</p>' for i in range(pages))
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(render_pdf(f'<html lang="en"><title>{name}</title><body>{body}</body></html>'))
    return path


def test_merge_starts_every_document_on_a_new_sheet(tmp_path):
    paths = [_doc(tmp_path, "alpha", 1), _doc(tmp_path, "beta", 2), _doc(tmp_path, "gamma", 3)]
    out = io.BytesIO()
    assert merge_files(paths, out) == 2 + 2 + 4
    reader = PdfReader(io.BytesIO(out.getvalue()), strict=True)
    texts = [page.extract_text().strip() for page in reader.pages]
    assert texts == [
        "alpha page 1",
        "",
        "beta page 1",
        "beta page 2",
        "gamma page 1",
        "gamma page 2",
        "gamma page 3",
        "",
    ]
    rewritten = io.BytesIO()
    PdfWriter(clone_from=reader).write(rewritten)  # a second tool accepts it too
    assert len(PdfReader(rewritten).pages) == 8


def test_merge_without_padding(tmp_path):
    out = io.BytesIO()
    assert merge_files([_doc(tmp_path, "one", 1)] * 3, out, pad_to_even=False) == 3


def test_atomic_write_keeps_the_old_file_when_writing_fails(tmp_path):
    target = tmp_path / "manifest.csv"
    write_atomic(target, b"old")
    with pytest.raises(RuntimeError), atomic_output(target) as fh:
        fh.write(b"half of the new")
        raise RuntimeError("disk full")
    assert target.read_bytes() == b"old"
    assert not list(tmp_path.glob(".*.tmp"))
    (tmp_path / ".manifest.csv.abc.tmp").write_bytes(b"left by a crash")
    assert remove_stale_temp_files(tmp_path) == 1
