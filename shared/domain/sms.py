"""How many SMS segments a text costs (issue 11: every message at most two).

A text that the GSM 03.38 alphabet can carry goes as GSM-7: 160 septets in one segment, 153 per
segment when split (the rest is the concatenation header); characters of the extension table (€, [,
{, …) take two septets. Anything else — Cyrillic, Arabic, Ethiopic, most emoji — makes the whole
message UCS-2: 70 UTF-16 code units in one segment, 67 per segment when split, and a character
outside the Basic Multilingual Plane takes two. The `gsm0338` codec says what GSM-7 can carry and
how many septets it takes; no alphabet table is kept here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final, Literal

import gsm0338  # noqa: F401  (registers the "gsm03.38" codec)

MAX_SEGMENTS: Final = 2


@dataclass(frozen=True)
class Segments:
    encoding: Literal["GSM-7", "UCS-2"]
    units: int  # septets (GSM-7) or UTF-16 code units (UCS-2)
    count: int


def segments(text: str) -> Segments:
    try:
        septets = len(text.encode("gsm03.38"))
    except UnicodeEncodeError:
        units = len(text.encode("utf-16-be")) // 2
        return Segments("UCS-2", units, 1 if units <= 70 else math.ceil(units / 67))
    return Segments("GSM-7", septets, 1 if septets <= 160 else math.ceil(septets / 153))


def fits(text: str, most: int = MAX_SEGMENTS) -> bool:
    return segments(text).count <= most
