"""Character set decoders: ISO 5426 (no Python codec exists), MARC-8 (through pymarc) and
the single-byte sets Python knows (ISO-8859-1, KOI8-R, CP866).

ISO 5426 puts non-spacing diacritics (0xC0-0xDF) BEFORE the letter they modify; Unicode
puts the combining mark after it, so the decoder holds them until the base character comes
and returns NFC text. The table covers the whole G1 set of ISO 5426:1983.
"""

from __future__ import annotations

import contextlib
import io
import re
import unicodedata
from collections.abc import Callable

from pymarc.marc8 import MARC8ToUnicode

# G1 graphic characters (spacing).
_ISO5426_SPACING: dict[int, str] = {
    0xA1: "\u00a1",
    0xA2: "\u201e",
    0xA3: "\u00a3",
    0xA4: "$",
    0xA5: "\u00a5",
    0xA6: "\u2020",
    0xA7: "\u00a7",
    0xA8: "\u2032",
    0xA9: "\u2018",
    0xAA: "\u201c",
    0xAB: "\u00ab",
    0xAC: "\u266d",
    0xAD: "\u00a9",
    0xAE: "\u2117",
    0xAF: "\u00ae",
    0xB0: "\u02bb",
    0xB1: "\u02bc",
    0xB2: "\u201a",
    0xB6: "\u2021",
    0xB7: "\u00b7",
    0xB8: "\u2033",
    0xB9: "\u2019",
    0xBA: "\u201d",
    0xBB: "\u00bb",
    0xBC: "\u266f",
    0xBD: "\u02b9",
    0xBE: "\u02ba",
    0xBF: "\u00bf",
    0xE1: "\u00c6",
    0xE2: "\u0110",
    0xE6: "\u0132",
    0xE8: "\u0141",
    0xE9: "\u00d8",
    0xEA: "\u0152",
    0xEC: "\u00de",
    0xF1: "\u00e6",
    0xF2: "\u0111",
    0xF3: "\u00f0",
    0xF5: "\u0131",
    0xF6: "\u0133",
    0xF8: "\u0142",
    0xF9: "\u00f8",
    0xFA: "\u0153",
    0xFB: "\u00df",
    0xFC: "\u00fe",
    # Non-sorting markers (NSB/NSE) as ISO 6429 C1 controls: kept, the cleaning drops them.
    0x88: "\u0088",
    0x89: "\u0089",
    0x98: "\u0098",
    0x9C: "\u009c",
}

# Non-spacing diacritics, written before the base letter.
_ISO5426_COMBINING: dict[int, str] = {
    0xC0: "\u0309",
    0xC1: "\u0300",
    0xC2: "\u0301",
    0xC3: "\u0302",
    0xC4: "\u0303",
    0xC5: "\u0304",
    0xC6: "\u0306",
    0xC7: "\u0307",
    0xC8: "\u0308",
    0xC9: "\u0308",
    0xCA: "\u030a",
    0xCB: "\u0315",
    0xCC: "\u0312",
    0xCD: "\u030b",
    0xCE: "\u031b",
    0xCF: "\u030c",
    0xD0: "\u0327",
    0xD1: "\u031c",
    0xD2: "\u0326",
    0xD3: "\u0328",
    0xD4: "\u0325",
    0xD5: "\u032e",
    0xD6: "\u0323",
    0xD7: "\u0324",
    0xD8: "\u0332",
    0xD9: "\u0333",
    0xDA: "\u0329",
    0xDB: "\u032d",
    0xDD: "\ufe22",
    0xDE: "\ufe23",
}


def decode_iso5426(data: bytes) -> str:
    """Decode ISO 646 + ISO 5426 bytes to NFC text; unknown bytes become U+FFFD."""
    if data.isascii():
        return data.decode("ascii")
    out: list[str] = []
    pending: list[str] = []  # diacritics waiting for their base letter
    for byte in data:
        if byte < 0x80:
            out.append(chr(byte))
            if pending:
                out.extend(pending)
                pending.clear()
        elif byte in _ISO5426_COMBINING:
            pending.append(_ISO5426_COMBINING[byte])
        else:
            out.append(_ISO5426_SPACING.get(byte, "\ufffd"))
            if pending:
                out.extend(pending)
                pending.clear()
    out.extend(pending)
    return unicodedata.normalize("NFC", "".join(out))


def decode_marc8(data: bytes) -> str:
    """MARC-8 (MARC 21), through pymarc's converter; undecodable bytes are dropped by pymarc."""
    if data.isascii() and b"\x1b" not in data:
        return data.decode("ascii")
    try:
        if b"\x1b$" in data:  # multibyte sets: pymarc writes its complaints to stderr
            with contextlib.redirect_stderr(io.StringIO()):
                text = MARC8ToUnicode(quiet=True).translate(data)
        else:
            text = MARC8ToUnicode(quiet=True).translate(data)
    except (TypeError, ValueError, IndexError, KeyError):
        # Broken escape sequence: keep the ASCII text, mark the rest as undecodable.
        text = re.sub(rb"\x1b[\x20-\x2f]*[\x30-\x7e]?", b"", data).decode("ascii", "replace")
    return unicodedata.normalize("NFC", text)


def _codec(name: str) -> Callable[[bytes], str]:
    def decode(data: bytes) -> str:
        return data.decode(name, "replace")

    return decode


ENCODINGS: dict[str, Callable[[bytes], str]] = {
    "utf-8": _codec("utf-8"),
    "marc8": decode_marc8,
    "iso5426": decode_iso5426,
    "iso-8859-1": _codec("latin-1"),
    "koi8-r": _codec("koi8_r"),
    "cp866": _codec("cp866"),
}

ENCODING_CHOICES = list(ENCODINGS)


def decoder_for(encoding: str) -> Callable[[bytes], str]:
    """The decoder of ``encoding`` (one of ``ENCODING_CHOICES``); ``ValueError`` otherwise."""
    try:
        return ENCODINGS[encoding]
    except KeyError:
        raise ValueError(f"Encodage inconnu : {encoding} (choix : {', '.join(ENCODING_CHOICES)})") from None
