#!/usr/bin/env python
"""Fill msgstr entries of a .po catalogue from a JSON object {msgid: msgstr}.

    python scripts/po_fill.py locale/ja/LC_MESSAGES/django.po strings.json

Keys may be "context\\u0004msgid" for pgettext entries.  For plural entries
the value is a list [singular, plural…].  Fuzzy flags on filled entries are
removed.  Prints what is still untranslated."""

import json
import sys

import polib


def main() -> int:
    po_path, json_path = sys.argv[1], sys.argv[2]
    po = polib.pofile(po_path, wrapwidth=0)
    with open(json_path, encoding="utf-8") as fh:
        strings = json.load(fh)
    filled = 0
    for entry in po:
        key = f"{entry.msgctxt}\u0004{entry.msgid}" if entry.msgctxt else entry.msgid
        value = strings.get(key, strings.get(entry.msgid) if not entry.msgctxt else None)
        if value is None:
            continue
        if entry.msgid_plural:
            values = value if isinstance(value, list) else [value]
            entry.msgstr_plural = {
                i: values[min(i, len(values) - 1)] for i in range(len(entry.msgstr_plural or {0: ""}))
            }
        else:
            entry.msgstr = value
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
            entry.previous_msgid = None
        filled += 1
    po.save()
    missing = [e.msgid for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
    print(f"filled {filled}; still untranslated: {len(missing)}")
    for msgid in missing:
        print("  ", msgid)
    return 0


if __name__ == "__main__":
    sys.exit(main())
