"""Furigana (ruby) for the やさしい日本語 texts, read with pykakasi (as consult
reads names).  Only the kanji of a word carry a reading: the kana around
them (okurigana) are left outside the <rt>, so 持って reads も over 持."""

from __future__ import annotations

import re
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_KANJI = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆]")
_KANA = re.compile(r"[\u3040-\u30ff]")


@lru_cache(maxsize=1)
def _kakasi():
    import pykakasi

    return pykakasi.kakasi()


def _ruby(orig: str, reading: str) -> str:
    """orig with its kanji part in <ruby>; shared kana prefix/suffix outside."""
    head = 0
    while head < len(orig) and head < len(reading) and orig[head] == reading[head] and _KANA.match(orig[head]):
        head += 1
    tail = 0
    while (
        tail < len(orig) - head
        and tail < len(reading) - head
        and orig[-1 - tail] == reading[-1 - tail]
        and _KANA.match(orig[-1 - tail])
    ):
        tail += 1
    core = orig[head : len(orig) - tail]
    core_reading = reading[head : len(reading) - tail]
    if not core or not core_reading or not _KANJI.search(core):
        return escape(orig)
    return (
        escape(orig[:head])
        + f"<ruby>{escape(core)}<rp>(</rp><rt>{escape(core_reading)}</rt><rp>)</rp></ruby>"
        + escape(orig[len(orig) - tail :])
    )


@lru_cache(maxsize=2048)
def _furigana(text: str) -> str:
    out = []
    for item in _kakasi().convert(text):
        orig, reading = item["orig"], item["hira"]
        out.append(_ruby(orig, reading) if _KANJI.search(orig) else escape(orig))
    return "".join(out)


def furigana(text: str) -> SafeString:
    """HTML of `text` with <ruby> readings over every kanji (escaped otherwise)."""
    if not text:
        return mark_safe("")
    return mark_safe(_furigana(text))  # noqa: S308 - every piece is escaped above
