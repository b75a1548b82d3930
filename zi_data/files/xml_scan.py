"""Streaming scans of the parts of an uploaded package, in bounded memory.

Which parts are XML is decided by the caller from [Content_Types].xml; `sniff_xml`
adds the parts whose content starts like XML (after a byte-order mark and blanks,
in UTF-8, UTF-16 or UTF-32), whatever their name. An XML part is then read to its
end in chunks and searched for tokens such as '<!DOCTYPE' in every encoding an XML
parser detects; an overlap between chunks finds a token split across two of them.
"""

import re

CHUNK_BYTES = 64 * 1024
SNIFF_LIMIT_BYTES = 1024 * 1024
ENCODINGS = ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
BYTE_ORDER_MARKS = (b"\x00\x00\xfe\xff", b"\xff\xfe\x00\x00", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
BLANK_BYTES = b" \t\r\n\x00"

DOCTYPE = "<!DOCTYPE"
ENTITY = "<!ENTITY"
UNSAFE_DECLARATIONS = (DOCTYPE, ENTITY)


def token_patterns(tokens) -> tuple[tuple[str, re.Pattern], ...]:
    """(token, bytes pattern finding it in any letter case and every encoding of ENCODINGS) for each token."""
    compiled = []
    for token in tokens:
        alternatives = []
        for codec in ENCODINGS:
            parts = []
            for char in token:
                variants = sorted({char.lower().encode(codec), char.upper().encode(codec)})
                parts.append(b"(?:" + b"|".join(re.escape(v) for v in variants) + b")")
            alternatives.append(b"".join(parts))
        compiled.append((token, re.compile(b"|".join(alternatives))))
    return tuple(compiled)


UNSAFE_DECLARATION_PATTERNS = token_patterns(UNSAFE_DECLARATIONS)


def sniff_xml(part) -> bool:
    """Whether the open binary stream `part` starts like XML: '<' after a byte-order mark and blanks."""
    seen = 0
    head = part.read(CHUNK_BYTES)
    for mark in BYTE_ORDER_MARKS:
        if head.startswith(mark):
            head = head[len(mark):]
            break
    while head:
        rest = head.lstrip(BLANK_BYTES)
        if rest:
            return rest[:1] == b"<"
        seen += len(head)
        if seen > SNIFF_LIMIT_BYTES:
            return True  # a megabyte of blanks: treat as XML, so it is scanned in full
        head = part.read(CHUNK_BYTES)
    return False


def find_tokens(part, patterns) -> set[str]:
    """The tokens of `patterns` (from token_patterns) found anywhere in the open binary stream `part`."""
    overlap = max(len(token.encode("utf-32-le")) for token, _ in patterns) - 1
    found: set[str] = set()
    tail = b""
    while chunk := part.read(CHUNK_BYTES):
        window = tail + chunk
        found.update(token for token, pattern in patterns if token not in found and pattern.search(window))
        tail = window[-overlap:]
    return found
