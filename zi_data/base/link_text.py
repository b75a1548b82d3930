"""The http(s) links of a text (a Bukti Dukung cell, a link typed in the browser): found, checked, refused.

`checked_link(url)` accepts one complete http:// or https:// address with a host, at most
MAX_LINK_CHARS characters, without spaces, quotes, angle brackets, backslashes or control characters.

`links_in(text)` finds the addresses in a text written as people write them: one per distinct URL, in
the order written, with sentence punctuation after an address (`.`, `,`, `;`, `:`, `!`, `?`, a closing
bracket that opened before the address) left out; an address runs up to a space, an invisible
character (zero-width space, direction mark, …), a quote (also typographic quotes) or a `,`/`;` directly
followed by another http(s) address. Addresses of other schemes (ftp, sftp, file, smb, javascript,
vbscript, mailto, data) and incomplete ones are refused with an Indonesian reason. The text is first
normalised like every cell (cell_safety.clean_text). Plain functions of text: no database, no pandas.
"""

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from .cell_safety import clean_text
from .problems import Problem, RefusedValue, shown

MAX_LINK_CHARS = 2000
UNSAFE_LINK_CHARS = re.compile(r"[\s\x00-\x1f\x7f<>\"'`\\]")
# An address ends at a space, a quote, an angle bracket, a backslash or a backtick (UNSAFE_LINK_CHARS),
# at typographic quotes, and before ",https://" or ";http://" (two addresses written without a space).
_URL_CHAR = r"(?:(?![,;]https?://)[^\s<>\"'`\\\u201c\u201d\u2018\u2019\u00ab\u00bb])"
_LINK = re.compile(
    r"(?<![A-Za-z0-9])(?:(?P<web>https?)://|(?P<other>(?:s?ftps?|file|smb)(?=://)|(?:javascript|vbscript|mailto)"
    rf"(?=:\S)|data(?=:[A-Za-z]+/))){_URL_CHAR}*", re.IGNORECASE)
_TRAILING = ".,;:!?"
_CLOSING = {")": "(", "]": "[", "}": "{"}
SCHEME_WARNING = "Tautan dengan skema {scheme} tidak dijadikan lampiran"


@dataclass(frozen=True)
class FoundLinks:
    links: tuple[str, ...]  # distinct http(s) addresses, as written
    refused: tuple[str, ...]  # why each other address is no attachment (Indonesian)


def links_in(text) -> FoundLinks:
    """The http(s) links of a Bukti Dukung text, and the reasons other addresses in it are refused."""
    links: list[str] = []
    refused: list[str] = []
    visible = "".join(char if char.isprintable() else " " for char in clean_text(str(text or "")))
    for match in _LINK.finditer(visible):  # an address ends at an invisible character too
        token = _trimmed(match.group(0))
        if match.group("other"):
            scheme = match.group("other").lower()
            refused.append(f"{SCHEME_WARNING.format(scheme=scheme + ':')} ({shown(token, 60)}); hanya alamat "
                           "http:// atau https:// yang dilampirkan sebagai bukti.")
            continue
        try:
            url = checked_link(token)
        except ValueError:
            refused.append(f"Tautan {shown(token, 60)} tidak dijadikan lampiran: bukan alamat http:// atau "
                           f"https:// yang lengkap (paling panjang {MAX_LINK_CHARS} karakter).")
            continue
        if url not in links:
            links.append(url)
    return FoundLinks(tuple(links), tuple(refused))


def _trimmed(url: str) -> str:
    """`url` without sentence punctuation after it: trailing .,;:!? and closing brackets that did not open in it."""
    while url:
        last = url[-1]
        if last in _TRAILING or (last in _CLOSING and url.count(_CLOSING[last]) < url.count(last)):
            url = url[:-1]
        else:
            break
    return url


def link_warnings(rows, sheet: str, column: str) -> list[Problem]:
    """A located warning for each refused address in the rows' Bukti Dukung (`row` is the sheet row)."""
    return [Problem(reason, sheet, int(row), column, fix="Teks Bukti Dukung tetap tersimpan.")
            for row, text in zip(rows["row"], rows["bukti_dukung"]) for reason in links_in(text).refused]


def checked_link(url: str) -> str:
    """`url` stripped, when it is an http:// or https:// address with a host; ValueError otherwise."""
    url = str(url or "").strip()
    parts = urlsplit(url) if len(url) <= MAX_LINK_CHARS and not UNSAFE_LINK_CHARS.search(url) else None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise RefusedValue(f"Tautan bukti harus alamat http:// atau https:// yang lengkap (paling panjang "
                         f"{MAX_LINK_CHARS} karakter, tanpa spasi): {url[:80]!r}")
    return url
