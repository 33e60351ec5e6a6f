"""Human-friendly inquiry references: random, short, unambiguous to read aloud on the phone.

Neither the document id nor derived from personal data (issue 2): 40 random bits in Crockford base32
(no I, L, O, U), shown as LF-XXXX-XXXX. The intake draws again if a live inquiry already has it.
"""

from __future__ import annotations

import re
import secrets
from typing import Final

_ALPHABET: Final = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
PATTERN: Final = re.compile(r"^LF-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$")


def new_reference() -> str:
    chars = "".join(secrets.choice(_ALPHABET) for _ in range(8))
    return f"LF-{chars[:4]}-{chars[4:]}"
