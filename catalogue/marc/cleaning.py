"""Quirks of real files, cleaned in every subfield before mapping and storage.

- C1 non-sorting markers (U+0088/U+0089, U+0098/U+009C): the markers go, the text stays;
- U+200E (left-to-right mark) at the end of subfields, and other C0/C1 control characters
  (PostgreSQL refuses NUL; the others only break display);
- double-encoded UTF-8 ("8Â°" for "8°", "Ã©" for "é");
- NFC normalisation.
"""

from __future__ import annotations

import re
import unicodedata

_CONTROLS_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\ufeff]")
_WHITESPACE_CONTROLS_RE = re.compile("[\t\n\r]+")
# A lead byte of a 2-4 byte UTF-8 sequence read as Latin-1, followed by continuation bytes.
_MOJIBAKE_RE = re.compile("[\u00c2-\u00f4][\u0080-\u00bf]{1,3}")


def _repair(match: re.Match[str]) -> str:
    text = match.group(0)
    try:
        return text.encode("latin-1").decode("utf-8")
    except UnicodeDecodeError:
        return text


def repair_double_utf8(text: str) -> str:
    """Undo UTF-8 bytes that were decoded as Latin-1 and encoded again ("8Â°" → "8°")."""
    return _MOJIBAKE_RE.sub(_repair, text)


def clean_text(text: str) -> str:
    """The subfield text with the known quirks removed (see the module docstring)."""
    if text.isascii():
        if _CONTROLS_RE.search(text) is None and "\t" not in text and "\n" not in text and "\r" not in text:
            return text
        return _CONTROLS_RE.sub("", _WHITESPACE_CONTROLS_RE.sub(" ", text))
    if _MOJIBAKE_RE.search(text) is not None:
        text = repair_double_utf8(text)
    text = _CONTROLS_RE.sub("", _WHITESPACE_CONTROLS_RE.sub(" ", text))
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text
