"""CSV and XLSX from the same rows, streaming: memory stays flat however many
rows (the rows are an iterator).

* CSV: UTF-8 with a BOM (Japanese Excel opens it), rows written in batches.
* XLSX: reports/xlsx.py streams each sheet's XML into the zip as rows
  arrive (inline strings, no styles; dates arrive as text), so the cost per
  row is one string join.  Past 1,048,576 rows (the header included) a new
  sheet begins, with the header again.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Sequence
from itertools import islice

BOM = "\ufeff"
XLSX_MAX_ROWS = 1_048_576  # per sheet, the header row included
BATCH = 5000

Progress = Callable[[int], None]


def write_csv(
    out, header: Sequence[str], rows: Iterable[Sequence], *, progress: Progress | None = None, every: int = BATCH
) -> int:
    """UTF-8 with a BOM, so that Japanese Excel opens it; `out` is a text file."""
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    count = 0
    rows = iter(rows)
    while batch := list(islice(rows, every)):
        writer.writerows(batch)
        count += len(batch)
        if progress:
            progress(count)
    return count


def write_xlsx(
    path,
    header: Sequence[str],
    rows: Iterable[Sequence],
    *,
    sheet_title: str = "data",
    max_rows: int = XLSX_MAX_ROWS,
    progress: Progress | None = None,
    every: int = BATCH,
) -> int:
    """A streaming workbook (reports/xlsx.py); past `max_rows` a new sheet (with the header) begins."""
    from .xlsx import StreamingWorkbook

    wb = StreamingWorkbook(path)
    sheet_number = 1
    wb.add_sheet(sheet_title[:31])
    wb.write_row(header)
    in_sheet = 1
    count = 0
    for row in rows:
        if in_sheet >= max_rows:
            sheet_number += 1
            wb.add_sheet(f"{sheet_title[:25]} ({sheet_number})")
            wb.write_row(header)
            in_sheet = 1
        wb.write_row(row)
        in_sheet += 1
        count += 1
        if progress and count % every == 0:
            progress(count)
    wb.close()
    return count
