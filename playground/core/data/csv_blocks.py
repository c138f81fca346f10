"""A delimited text file as the importer sees it: its encoding, delimiter and header,
then its rows in blocks of whole rows, each checked for its number of fields.

pandas parses every block (quoting, NA markers, numbers); this module only decides
where a block may end and checks the field counts, because pandas' C parser pads a
short row with missing values without a word, and with `usecols` it also drops
the extra fields of a long one. A ragged row must be an error naming its line.

A field is quoted with '"' (a doubled '""' inside is one quote): a newline or
delimiter between quotes belongs to the field. The quote test counts quote
characters, so a lone '"' inside an unquoted field (12" pizza) confuses it; such a
file is reported as ragged rather than read wrongly.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from playground.core.errors import DataError

BLOCK_BYTES = 4 * 1024 * 1024  # one block of rows: small enough for a smooth progress bar
HEAD_BYTES = 256 * 1024  # enough to sniff the encoding and the delimiter
DELIMITERS = (",", ";", "\t", "|")
NA_MARKERS = ("", "NA", "N/A", "NaN", "nan", "null", "NULL", "None", "?", "#N/A")
_BOM = codecs.BOM_UTF8
_NUMBER = re.compile(r"\s*[-+]?((\d+\.?\d*|\.\d+)([eE][-+]?\d+)?|inf|infinity)\s*", re.I)
_DECIMAL_COMMA = re.compile(r"\s*[-+]?\d+,\d+\s*")


@dataclass(frozen=True)
class TextFormat:
    """How the file is written, and its header row."""

    encoding: str  # for pandas: "utf-8", "cp1252" or "latin-1" (a BOM is skipped)
    delimiter: str
    decimal: str  # "." or "," (a semicolon file from a European spreadsheet)
    columns: tuple[str, ...]
    header_end: int  # byte offset where the first data row starts
    first_line: int  # its line number (1-based)
    size: int

    def describe(self) -> str:
        names = {",": "comma", ";": "semicolon", "\t": "tab", "|": "bar"}
        return (f"{names[self.delimiter]}-separated, {self.encoding.upper()}"
                + (", decimal comma" if self.decimal == "," else ""))


def is_number(text: str) -> bool:
    return bool(_NUMBER.fullmatch(text))


def _read_head(path: Path) -> bytes:
    try:
        with path.open("rb") as f:
            return f.read(HEAD_BYTES)
    except FileNotFoundError:
        raise DataError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise DataError(f"{path}: cannot read it, it is a folder") from None
    except OSError as e:
        raise DataError(f"{path}: cannot read it ({e.strerror or e})") from None


def _encoding(path: Path, head: bytes, full: bool) -> str:
    if b"\x00" in head:
        raise DataError(f"{path} is not a text file (it holds NUL bytes): a binary file, or "
                        "text saved as UTF-16; save it as CSV in UTF-8")
    controls = sum(head.count(bytes([c])) for c in (*range(1, 9), *range(14, 32)))
    if controls > max(8, len(head) // 100):
        raise DataError(f"{path} is not a text file (it holds control characters)")
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=full)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        head.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"  # every byte is a character: the last resort never fails


def _sniff_delimiter(lines: list[str]) -> str:
    """The candidate found the same (largest) number of times on every sampled line."""
    unquoted = [re.sub(r'"(?:[^"]|"")*"', "", line) for line in lines if line.strip()]
    best, best_count = ",", 0
    for d in DELIMITERS:
        counts = [line.count(d) for line in unquoted[:50]]
        if counts and counts[0] > best_count and all(c == counts[0] for c in counts):
            best, best_count = d, counts[0]
    if best_count == 0:  # no consistent candidate: the most frequent one on the header
        header = unquoted[0] if unquoted else ""
        best = max(DELIMITERS, key=header.count)
    return best


def sniff(path: Path) -> TextFormat:
    """Encoding, delimiter, decimal mark and the header of a CSV file."""
    path = Path(path)
    head = _read_head(path)
    size = path.stat().st_size
    bom = head.startswith(_BOM)
    body = head[len(_BOM):] if bom else head
    if not body.strip():
        raise DataError(f"{path}: the file is empty")
    encoding = _encoding(path, body, full=size <= HEAD_BYTES)
    text = body.decode(encoding, errors="replace")
    lines = text.splitlines()[:60]
    if len(head) == HEAD_BYTES and len(lines) > 1:
        lines = lines[:-1]  # the last one may be cut short
    delimiter = _sniff_delimiter(lines)
    fields = [f for line in lines[1:] for f in line.split(delimiter)]
    decimal = "," if delimiter == ";" and any(_DECIMAL_COMMA.fullmatch(f) for f in fields) \
        and not any(re.fullmatch(r"\s*[-+]?\d+\.\d+\s*", f) for f in fields) else "."

    ends, _ = _row_ends(np.frombuffer(body, np.uint8))
    header_end = int(ends[0]) + 1 if len(ends) else len(body)
    raw_header = body[:header_end]
    if not raw_header.strip():
        raise DataError(f"{path}, line 1: the first row is empty; it must name the columns")
    names = parse_rows(raw_header, delimiter, encoding, decimal, str(path)).iloc[0].tolist()
    columns = _column_names(names)
    offset = len(_BOM) if bom else 0
    fmt = TextFormat(encoding, delimiter, decimal, columns, offset + header_end,
                     raw_header.count(b"\n") + 1, size)
    if len(columns) == 1:
        raise DataError(f"{path}: only one column ({columns[0]!r}) — the import looked for "
                        "commas, semicolons and tabs between values; a data set needs at "
                        "least one feature column and a label column")
    if all(is_number(c) or _DECIMAL_COMMA.fullmatch(c) for c in names):
        shown = delimiter.join(names[:4]) + ("…" if len(names) > 4 else "")
        raise DataError(f"{path}, line 1: no header row — the first row holds only numbers "
                        f"({shown}); add a first row with the column names")
    return fmt


def _column_names(raw: list) -> tuple[str, ...]:
    names: list[str] = []
    for i, value in enumerate(raw):
        name = str(value).strip() if isinstance(value, str) else ""
        name = name or f"column {i + 1}"
        while name in names:
            name += "'"
        names.append(name)
    return tuple(names)


def parse_rows(data: bytes, delimiter: str, encoding: str, decimal: str, where: str = "",
               **options):
    """pandas' C parser on whole rows (all text unless `options` say otherwise)."""
    import pandas as pd

    options = {"dtype": str, "keep_default_na": False, "na_filter": False} | options
    try:
        return pd.read_csv(io.BytesIO(data), header=None, sep=delimiter, encoding=encoding,
                           decimal=decimal, quotechar='"', skipinitialspace=True,
                           skip_blank_lines=True, engine="c", **options)
    except UnicodeDecodeError:
        raise DataError(f"{where}: not valid {encoding.upper()} text; save the file as CSV "
                        "in UTF-8") from None
    except (pd.errors.ParserError, ValueError) as e:
        raise DataError(f"{where}: cannot read it as CSV ({str(e).strip()})") from None


def _unquoted(positions: np.ndarray, quotes: np.ndarray | None) -> np.ndarray:
    """The positions not inside quotes: an even number of quote characters before them."""
    if quotes is None:
        return positions
    return positions[(np.searchsorted(quotes, positions) & 1) == 0]


def _row_ends(b: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    """Offsets of the newlines that end rows (not those inside quotes), and of the quote
    characters (None if there are none: the fast path)."""
    quotes = np.flatnonzero(b == 34)
    quotes = quotes if len(quotes) else None
    return _unquoted(np.flatnonzero(b == 10), quotes), quotes


@dataclass
class Block:
    """Whole rows of the file, with where each non-blank row starts (for line numbers)."""

    data: bytes
    starts: np.ndarray  # byte offset of each non-blank row in `data`
    first_line: int  # line number of data[0]
    end: int  # file offset just after this block

    def __len__(self) -> int:
        return len(self.starts)

    def line_of(self, row: int) -> int:
        return self.first_line + self.data.count(b"\n", 0, int(self.starts[row]))


def _check_block(path: Path, data: bytes, ends: np.ndarray, quotes, first_line: int,
                 delimiter: str, n_fields: int, end: int) -> Block:
    b = np.frombuffer(data, np.uint8)
    if not len(ends) or ends[-1] != len(b) - 1:
        ends = np.append(ends, len(b))  # the last row of the file may lack its newline
    starts = np.concatenate(([0], ends[:-1] + 1))
    delims = _unquoted(np.flatnonzero(b == ord(delimiter)), quotes)
    fields = np.searchsorted(delims, ends) - np.searchsorted(delims, starts) + 1
    length = ends - starts
    blank = (length == 0) | ((length == 1) & (b[np.minimum(starts, len(b) - 1)] == 13))
    bad = np.flatnonzero(~blank & (fields != n_fields))
    if len(bad):
        i = int(bad[0])
        line = first_line + data.count(b"\n", 0, int(starts[i]))
        raise DataError(f"{path}, line {line}: {int(fields[i])} fields where the header has "
                        f"{n_fields} (a missing or extra {delimiter!r}, or an unclosed quote)")
    return Block(data, starts[~blank], first_line, end)


def read_blocks(path: Path, fmt: TextFormat, digest=None,
                block_bytes: int = BLOCK_BYTES) -> Iterator[Block]:
    """The data rows in blocks; `digest` (e.g. hashlib.sha256()) sees every byte."""
    digest = digest if digest is not None else hashlib.sha256()
    with Path(path).open("rb") as f:
        digest.update(f.read(fmt.header_end))
        carry, line, offset = b"", fmt.first_line, fmt.header_end
        while True:
            chunk = f.read(block_bytes)
            digest.update(chunk)
            data = carry + chunk
            if not data:
                return
            ends, quotes = _row_ends(np.frombuffer(data, np.uint8))
            if chunk:
                if not len(ends):
                    carry = data  # one row longer than a block: read on
                    continue
                cut = int(ends[-1]) + 1
                data, carry = data[:cut], data[cut:]
                if quotes is not None:
                    quotes = quotes[quotes < cut]
            else:
                carry = b""
            offset += len(data)
            yield _check_block(path, data, ends, quotes, line, fmt.delimiter,
                               len(fmt.columns), offset)
            line += data.count(b"\n")
            if not chunk:
                return
