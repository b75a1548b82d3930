"""Active content in a PDF: what a PDF reader could run, open or launch, found before the file is kept or shown.

Refused names: /JavaScript and /JS (scripts, also as the target of /OpenAction or /AA), /Launch (starts a
program), /EmbeddedFile(s) (a file carried inside), /RichMedia (Flash and video players), and /XFA (forms that
carry scripts). Every name token of the whole file is read with its `#xx` escapes decoded first (`/J#61vaScript`
is `/JavaScript`), in the file's bytes and in every Flate-compressed stream (object streams hide dictionaries
there); decompression is bounded, so a small file cannot expand without limit. /OpenAction alone (a PDF opening
at a page) is allowed: the action it names is what is checked.
"""

import re
import zlib

# A PDF name: a slash and the regular characters after it (PDF 32000-1, 7.3.5).
NAME_PATTERN = re.compile(rb"/([^\x00\t\n\x0c\r ()<>\[\]{}/%]*)")
ESCAPE_PATTERN = re.compile(rb"#([0-9A-Fa-f]{2})")
STREAM_PATTERN = re.compile(rb"stream\r?\n")
REASONS = {
    b"JavaScript": "JavaScript", b"JS": "JavaScript", b"Launch": "perintah menjalankan program (/Launch)",
    b"EmbeddedFile": "berkas tersemat", b"EmbeddedFiles": "berkas tersemat", b"RichMedia": "media aktif (RichMedia)",
    b"XFA": "formulir XFA yang dapat berisi skrip",
}
MAX_INFLATED_BYTES = 64 * 1024 * 1024  # all streams of one file together, decompressed
MAX_STREAMS = 20_000
CHUNK_BYTES = 64 * 1024


def active_content(data: bytes) -> str | None:
    """What in the PDF `data` could run (in Indonesian, e.g. 'JavaScript'), or None when nothing does."""
    if reason := _named_reason(data):
        return reason
    budget, view = MAX_INFLATED_BYTES, memoryview(data)
    for count, match in enumerate(STREAM_PATTERN.finditer(data)):
        if count >= MAX_STREAMS or budget <= 0:
            return "terlalu banyak data terkompresi untuk diperiksa"
        inflated = _inflate(view, match.end(), budget)
        budget -= len(inflated)
        if reason := _named_reason(inflated):
            return reason
    return None


def _named_reason(data: bytes) -> str | None:
    for match in NAME_PATTERN.finditer(data):
        name = ESCAPE_PATTERN.sub(lambda m: bytes([int(m.group(1), 16)]), match.group(1))
        if name in REASONS:
            return REASONS[name]
    return None


def _inflate(view: memoryview, start: int, budget: int) -> bytes:
    """The zlib stream starting at `start`, decompressed up to `budget` bytes; as far as it goes when it breaks off
    (readers show a damaged stream's start too), empty when it is not one."""
    inflater, out = zlib.decompressobj(), bytearray()
    for offset in range(start, len(view), CHUNK_BYTES):
        try:
            out += inflater.decompress(view[offset:offset + CHUNK_BYTES], budget + 1 - len(out))
        except zlib.error:
            break
        if inflater.eof or len(out) > budget or inflater.unconsumed_tail:
            break
    return bytes(out)
