"""Concatenate PDFs into one print file, streaming: one input is in memory at a time.

pypdf's PdfWriter keeps every page until it writes, so 2,000 letters would all sit in memory.
Here each input is read with pypdf, its page objects (and what they use) are renumbered and
written straight to the output; only the byte offset of each written object is kept (8 bytes
each). Document-level parts (structure tree, metadata, outlines) are left out: the merged file
is for the printer; the per-letter files keep their tags for digital post.
"""

from array import array
from collections.abc import Iterable
from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    StreamObject,
)

HEADER = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
INHERITED = ("/Resources", "/MediaBox", "/CropBox", "/Rotate")
A4 = (0, 0, 595.276, 841.89)


class StreamingPdfWriter:
    """Append whole documents page by page to an open binary file; call finish() once."""

    def __init__(self, fh):
        self.fh = fh
        self.offsets = array("Q", [0])  # object number -> byte offset; 0 is the free entry
        self.page_numbers = array("L")
        self.fh.write(HEADER)
        self.pages_root = self._reserve()

    def _reserve(self) -> int:
        self.offsets.append(0)
        return len(self.offsets) - 1

    def _ref(self, number: int) -> IndirectObject:
        return IndirectObject(number, 0, None)

    def _write(self, number: int, obj) -> None:
        self.offsets[number] = self.fh.tell()
        self.fh.write(f"{number} 0 obj\n".encode())
        obj.write_to_stream(self.fh)
        self.fh.write(b"\nendobj\n")

    def add_document(self, path: Path, pad_to_even: bool = False) -> int:
        """Append every page of one PDF (plus a blank page to make it even); returns its pages."""
        reader = PdfReader(str(path))
        try:
            count = self._copy_pages(reader)
        finally:
            reader.close()
        if pad_to_even and count % 2:
            self.add_blank_page()
        return count

    def add_blank_page(self, box=A4) -> None:
        """An empty page, so the next document starts on a new sheet when printed duplex."""
        number = self._reserve()
        page = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Page"),
                NameObject("/Parent"): self._ref(self.pages_root),
                NameObject("/MediaBox"): ArrayObject(NumberObject(round(v)) for v in box),
                NameObject("/Resources"): DictionaryObject(),
            }
        )
        self._write(number, page)
        self.page_numbers.append(number)

    def _copy_pages(self, reader: PdfReader) -> int:
        mapping: dict[tuple[int, int], int] = {}
        queue: list[IndirectObject] = []
        tree_nodes = _page_tree_nodes(reader)

        def ref(old: IndirectObject) -> IndirectObject:
            key = (old.idnum, old.generation)
            if key in tree_nodes:
                return self._ref(self.pages_root)
            if key not in mapping:
                mapping[key] = self._reserve()
                queue.append(old)
            return self._ref(mapping[key])

        def clone(obj):
            if isinstance(obj, IndirectObject):
                return ref(obj)
            if isinstance(obj, StreamObject):
                copy = obj.__class__()
                copy._data = obj._data  # still encoded: copied byte for byte
                copy.update({k: clone(v) for k, v in obj.items() if k != "/Length"})
                return copy
            if isinstance(obj, DictionaryObject):
                return DictionaryObject({k: clone(v) for k, v in obj.items()})
            if isinstance(obj, ArrayObject):
                return ArrayObject(clone(v) for v in obj)
            return obj

        pages = list(reader.pages)
        for page in pages:
            mapping[_key(page.indirect_reference)] = self._reserve()
        for page in pages:
            number = mapping[_key(page.indirect_reference)]
            copy = DictionaryObject(
                {k: clone(v) for k, v in page.items() if k not in ("/Parent", "/StructParents")}
            )
            for key in INHERITED:
                if key not in copy and (value := _inherited(page, key)) is not None:
                    copy[NameObject(key)] = clone(value)
            copy[NameObject("/Parent")] = self._ref(self.pages_root)
            self._write(number, copy)
            self.page_numbers.append(number)
            while queue:
                old = queue.pop()
                self._write(mapping[_key(old)], clone(old.get_object()))
        return len(pages)

    def finish(self) -> int:
        """Write the page tree, catalog, cross-reference table and trailer; returns pages."""
        kids = ArrayObject(self._ref(n) for n in self.page_numbers)
        root = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Pages"),
                NameObject("/Kids"): kids,
                NameObject("/Count"): NumberObject(len(self.page_numbers)),
            }
        )
        self._write(self.pages_root, root)
        catalog_number = self._reserve()
        catalog = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Catalog"),
                NameObject("/Pages"): self._ref(self.pages_root),
            }
        )
        self._write(catalog_number, catalog)
        xref_at = self.fh.tell()
        size = len(self.offsets)
        self.fh.write(f"xref\n0 {size}\n0000000000 65535 f \n".encode())
        for number in range(1, size):
            self.fh.write(f"{self.offsets[number]:010d} 00000 n \n".encode())
        self.fh.write(
            f"trailer\n<< /Size {size} /Root {catalog_number} 0 R >>\n"
            f"startxref\n{xref_at}\n%%EOF\n".encode()
        )
        return len(self.page_numbers)


def _key(ref: IndirectObject) -> tuple[int, int]:
    return (ref.idnum, ref.generation)


def _page_tree_nodes(reader: PdfReader) -> set[tuple[int, int]]:
    """References of the input's /Pages nodes: anything pointing at them points at ours."""
    nodes = set()
    todo = [reader.trailer["/Root"].raw_get("/Pages")]
    while todo:
        ref = todo.pop()
        if not isinstance(ref, IndirectObject) or _key(ref) in nodes:
            continue
        node = ref.get_object()
        if node.get("/Type") == "/Pages":
            nodes.add(_key(ref))
            todo.extend(node.get("/Kids") or [])
    return nodes


def _inherited(page, key):
    node = page
    while node is not None:
        if key in node:
            return node.raw_get(key)
        parent = node.get("/Parent")
        node = parent.get_object() if parent is not None else None
    return None


def merge_files(paths: Iterable[Path], fh, pad_to_even: bool = True) -> int:
    """Write the concatenation of `paths` to the binary file `fh`; returns its page count."""
    writer = StreamingPdfWriter(fh)
    for path in paths:
        writer.add_document(path, pad_to_even=pad_to_even)
    return writer.finish()
