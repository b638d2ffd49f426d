"""Rows for exports without model instances or per-row work in Python.

`keyset_rows` reads `values_list` tuples a page at a time in primary-key
order (WHERE pk > last ORDER BY pk LIMIT n — an index range scan per page):
memory stays flat, and no cursor or transaction stays open across the
export, so the job's progress can be committed while it runs.  Dates are
formatted by PostgreSQL (`LocalText`), so a row goes from the driver to the
writer as it is."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import CharField, Func, Value

PAGE = 20_000


class LocalText(Func):
    """to_char(<timestamptz> AT TIME ZONE 'Asia/Tokyo', format) — text in Japan time."""

    template = "to_char((%(expressions)s AT TIME ZONE 'Asia/Tokyo'), %(format)s)"
    output_field = CharField()

    def __init__(self, expression, fmt: str = "YYYY-MM-DD HH24:MI", **extra):
        super().__init__(expression, **extra)
        self.fmt = fmt

    def as_sql(self, compiler, connection, **extra_context):
        fmt_sql, fmt_params = compiler.compile(Value(self.fmt))
        sql, params = super().as_sql(compiler, connection, format=fmt_sql, **extra_context)
        return sql, (*params, *fmt_params)


def keyset_rows(qs, *fields, page: int = PAGE, limit: int | None = None) -> Iterator[tuple]:
    """Tuples of `fields` from `qs`, in primary-key order; the first field
    must be "pk" (it is kept in the tuple)."""
    if fields[0] != "pk":
        raise ValueError("the first field must be pk")
    qs = qs.order_by("pk").values_list(*fields)
    last = None
    left = limit
    while left is None or left > 0:
        size = page if left is None else min(page, left)
        rows = list((qs if last is None else qs.filter(pk__gt=last))[:size])
        if not rows:
            return
        yield from rows
        last = rows[-1][0]
        if left is not None:
            left -= len(rows)
