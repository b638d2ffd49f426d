"""CSV and XLSX from the same rows, streaming: memory stays flat however many
rows (the rows are an iterator; the XLSX writer is openpyxl's write-only
mode, which spools each sheet to a temporary file)."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Sequence

BOM = "\ufeff"
XLSX_MAX_ROWS = 1_048_576  # per sheet, the header row included

Progress = Callable[[int], None]


def write_csv(
    out, header: Sequence[str], rows: Iterable[Sequence], *, progress: Progress | None = None, every: int = 5000
) -> int:
    """UTF-8 with a BOM, so that Japanese Excel opens it; `out` is a text file."""
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
        if progress and count % every == 0:
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
    every: int = 5000,
) -> int:
    """A write-only workbook; past `max_rows` a new sheet (with the header) begins."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    sheet_number = 1
    ws = wb.create_sheet(title=sheet_title)
    ws.append(list(header))
    in_sheet = 1
    count = 0
    for row in rows:
        if in_sheet >= max_rows:
            sheet_number += 1
            ws = wb.create_sheet(title=f"{sheet_title} ({sheet_number})")
            ws.append(list(header))
            in_sheet = 1
        ws.append(list(row))
        in_sheet += 1
        count += 1
        if progress and count % every == 0:
            progress(count)
    wb.save(path)
    return count
