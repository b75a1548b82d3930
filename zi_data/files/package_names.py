"""Paths inside the evidence package: every folder and file name made safe, short and unique.

Names come from the plan (area, komponen, ID) and from what people typed (the original file name),
so each path component is rebuilt from scratch: path separators and characters Windows refuses
(`/ \\ : * ? " < > |`) become `_`, invisible and control characters are dropped, whitespace runs
become one space, leading and trailing dots and spaces go, a Windows device name (CON, NUL, COM1,
…) gets a leading `_`, and the component is cut to a byte budget keeping its extension. A stored
name is never used as a path on disk: these names exist only inside the ZIP.
"""

import re
import unicodedata

UNSAFE_CHARACTERS = re.compile(r'[/\\:*?"<>|]')
HIDDEN_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
DEVICE_NAMES = {"CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(10)), *(f"LPT{n}" for n in range(10))}
FOLDER_BYTES = 80   # each folder name, in UTF-8 bytes
FILE_BYTES = 140    # each file name, in UTF-8 bytes (the whole path stays under ~330 bytes, 200 characters
                    # for the bundled plan's texts)
EXTENSION_CHARS = 8


def safe_component(text, limit: int = FOLDER_BYTES) -> str:
    """One path component built from `text` (see the module docstring); never empty, never '.' or '..'."""
    text = " ".join(unicodedata.normalize("NFC", str(text)).split())  # tabs and line breaks count as spaces
    text = "".join(ch for ch in text if unicodedata.category(ch) not in HIDDEN_CATEGORIES)
    text = " ".join(UNSAFE_CHARACTERS.sub("_", text).split())
    text = text.strip(". ")
    stem, dot, extension = text.rpartition(".")
    if not dot or not stem or len(extension) > EXTENSION_CHARS or " " in extension:
        stem, extension = text, ""
    if stem.split(".")[0].strip().upper() in DEVICE_NAMES:
        stem = "_" + stem
    suffix = f".{extension}" if extension else ""
    stem = _cut(stem, limit - len(suffix.encode())).rstrip(". ")
    return (stem or "_") + suffix


def with_extension(file_name: str, extensions: tuple[str, ...]) -> str:
    """`file_name` ending in one of `extensions` (letter case ignored): an extension it has that is none of them
    (up to EXTENSION_CHARS letters or digits after the last dot) is replaced by the first, and the first is appended
    when it has none.

    A PDF named `laporan.docx`, `rechnung.html` or `laporan` becomes `laporan.pdf`, `rechnung.pdf`, `laporan.pdf`:
    the name says what the file is (its type was decided by its content), so no program opens it as another type."""
    if file_name.lower().endswith(tuple(e.lower() for e in extensions)):
        return file_name
    stem, dot, extension = file_name.rpartition(".")
    if dot and stem.strip(". ") and 0 < len(extension) <= EXTENSION_CHARS and extension.isalnum():
        file_name = stem
    return f"{file_name}{extensions[0]}"


class UniquePaths:
    """Hands out paths that differ from every path handed out before, ignoring letter case (as Windows and
    macOS folders do): a repeated name gets ` (2)`, ` (3)`, … before its extension."""

    def __init__(self):
        self.taken: set[str] = set()

    def claim(self, folder: str, file_name: str) -> str:
        stem, dot, extension = file_name.rpartition(".")
        if not dot:
            stem, extension = file_name, ""
        suffix = f".{extension}" if extension else ""
        path, number = f"{folder}/{file_name}", 1
        while path.lower() in self.taken:
            number += 1
            marker = f" ({number})"
            cut = _cut(stem, FILE_BYTES - len(suffix.encode()) - len(marker))
            path = f"{folder}/{cut}{marker}{suffix}"
        self.taken.add(path.lower())
        return path


def _cut(text: str, limit: int) -> str:
    """`text` cut to at most `limit` UTF-8 bytes, never inside a character."""
    encoded = text.encode()
    if len(encoded) <= limit:
        return text
    return encoded[: max(limit, 0)].decode(errors="ignore")
