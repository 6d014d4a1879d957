"""The text inside attachments and tables, so the personal-data scan sees what residents would
download: every sheet of an XLSX, the paragraphs and tables of a DOCX, the pages of a PDF, CSV
and plain text in UTF-8, GB18030 or UTF-16 (what Excel and Notepad save on Chinese Windows), and the
file's own name. Pure: bytes in, passages out.
"""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree

from .encodings import sniff

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
OLD_OFFICE = (".doc", ".xls", ".ppt", ".wps", ".et", ".dps")
TEXT_KINDS = (".csv", ".txt")


@dataclass(frozen=True)
class Passage:
    """A piece of a file's text and where it is, for messages."""
    line: int            # the file's line for text files, else 1
    where: str           # "" for a text file's line; "工作表“收支”B4", "第 2 段", "第 1 页", "文件名"
    text: str


@dataclass(frozen=True)
class Reading:
    passages: tuple[Passage, ...]
    unreadable: str = ""     # why the file's text could not be read ("" when it was)


def decode_text(data: bytes) -> str | None:
    """UTF-8 (a BOM allowed), GB18030 or UTF-16, when certain (portal.encodings); else None."""
    text, _ = sniff(data)
    return None if text is None else text.replace("\r\n", "\n").replace("\r", "\n")


def text_lines(text: str) -> list[Passage]:
    return [Passage(n, "", line) for n, line in enumerate(text.split("\n"), 1) if line.strip()]


def _xlsx(data: bytes) -> list[Passage]:
    from openpyxl import load_workbook  # heavy: only for workbooks
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    out = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                value = getattr(cell, "value", None)
                if value is not None and str(value).strip():
                    out.append(Passage(1, f"工作表“{sheet.title}”{cell.coordinate}", str(value)))
    book.close()
    return out


def _text(node: ElementTree.Element) -> str:
    return "".join(t.text or "" for t in node.iter(f"{W}t"))


def _docx(data: bytes) -> list[Passage]:
    """Body paragraphs by number, table rows by table and row, headers and footers."""
    out = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        body = ElementTree.fromstring(z.read("word/document.xml")).find(f"{W}body")
        paragraphs = tables = 0
        for node in body if body is not None else ():
            if node.tag == f"{W}p":
                paragraphs += 1
                out.append(Passage(1, f"第 {paragraphs} 段", _text(node)))
            elif node.tag == f"{W}tbl":
                tables += 1
                out += [Passage(1, f"第 {tables} 个表格第 {r} 行", " ".join(_text(c) for c in row.iter(f"{W}tc")))
                        for r, row in enumerate(node.iter(f"{W}tr"), 1)]
        for part in sorted(n for n in z.namelist() if n.startswith(("word/header", "word/footer"))):
            out.append(Passage(1, "页眉页脚", _text(ElementTree.fromstring(z.read(part)))))
    return [p for p in out if p.text.strip()]


def _pdf(data: bytes) -> list[Passage]:
    from pypdf import PdfReader  # heavy: only for PDFs
    reader = PdfReader(io.BytesIO(data))
    return [Passage(1, f"第 {n} 页", page.extract_text() or "") for n, page in enumerate(reader.pages, 1)]


def read(rel: str, data: bytes) -> Reading:
    """The passages of one file (its name first), or why its contents could not be read."""
    name = Passage(1, "文件名", rel.rsplit("/", 1)[-1])
    suffix = "." + rel.rsplit(".", 1)[-1].lower() if "." in rel else ""
    if suffix in TEXT_KINDS:
        text = decode_text(data)
        if text is None:
            return Reading((name,), "文字编码无法识别（请另存为 UTF-8）")
        return Reading((name, *text_lines(text)))
    if suffix in OLD_OFFICE:
        return Reading((name,), "旧版 Office/WPS 格式无法检查其中的内容，请另存为 .docx、.xlsx 或 PDF")
    readers = {".xlsx": _xlsx, ".xlsm": _xlsx, ".docx": _docx, ".pdf": _pdf}
    if suffix not in readers:
        return Reading((name,))
    try:
        return Reading((name, *readers[suffix](data)))
    except Exception:              # a damaged or encrypted file: say so, never crash the build
        return Reading((name,), "文件已损坏或加密，无法读取其中的文字")
