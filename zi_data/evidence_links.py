"""Links written in a Bukti Dukung cell become link attachments of their item-month.

`links_in(text)` finds the http(s) addresses in a cell's text: one per distinct URL, in the order
written, with sentence punctuation after an address (`.`, `,`, `;`, `:`, `!`, `?`, a closing bracket
that opened before the address, quotes) left out; an address runs up to a space, an invisible
character or a quote. Addresses of other schemes (ftp, file, javascript, mailto, data, …) and
incomplete ones are refused with a reason: the cell's text stays as it is (it still counts as
Bukti Dukung), only no attachment is made of them. Every address kept passes evidence.checked_link.

`attach_cell_links(store, conn, rows, upload_id, by)` makes the attachments in the caller's
transaction: each URL of a row's Bukti Dukung that is not already a current link of its item-month
becomes one, marked with `upload_id` (undoing that upload hides it again) and added by the row's
reporter. A link an earlier cell gave (a link attachment with an upload) that the cell no longer
holds is replaced by a new link of the same cell, pairwise in order; nothing is deleted.
"""

import re
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa

from . import evidence
from .cell_safety import clean_text
from .problems import Problem, shown

# An address ends at a space, a quote, an angle bracket, a backslash or a backtick (evidence.UNSAFE_LINK_CHARS),
# at typographic quotes, and before ",https://" or ";http://" (two addresses written without a space).
_URL_CHAR = r"(?:(?![,;]https?://)[^\s<>\"'`\\\u201c\u201d\u2018\u2019\u00ab\u00bb])"
_LINK = re.compile(
    r"(?<![A-Za-z0-9])(?:(?P<web>https?)://|(?P<other>(?:s?ftps?|file|smb)(?=://)|(?:javascript|vbscript|mailto)"
    rf"(?=:\S)|data(?=:[A-Za-z]+/))){_URL_CHAR}*", re.IGNORECASE)
_TRAILING = ".,;:!?"
_CLOSING = {")": "(", "]": "[", "}": "{"}
SCHEME_WARNING = "Tautan dengan skema {scheme} tidak dijadikan lampiran"
LINK_COLUMNS = ["item_id", "month", "url", "replaces", "added_by"]


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
            url = evidence.checked_link(token)
        except ValueError:
            refused.append(f"Tautan {shown(token, 60)} tidak dijadikan lampiran: bukan alamat http:// atau "
                           f"https:// yang lengkap (paling panjang {evidence.MAX_LINK_CHARS} karakter).")
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


def link_warnings(rows: pd.DataFrame, sheet: str, column: str) -> list[Problem]:
    """A located warning for each refused address in the rows' Bukti Dukung (`row` is the sheet row)."""
    return [Problem(reason, sheet, int(row), column, fix="Teks Bukti Dukung tetap tersimpan.")
            for row, text in zip(rows["row"], rows["bukti_dukung"]) for reason in links_in(text).refused]


def planned_links(current: pd.DataFrame, plan_ids: set, rows: pd.DataFrame, by: str) -> pd.DataFrame:
    """The link attachments (LINK_COLUMNS) the rows' Bukti Dukung adds to `current` (evidence.attachments).

    Rows of an ID not in `plan_ids` (the plan in force) get none. The last row of an item-month wins."""
    links = current[current["kind"] == evidence.LINK]
    by_item_month: dict[tuple, list] = {}
    for item, month, url, evidence_id, upload_id in zip(links["item_id"], links["month"], links["file_name"],
                                                         links["evidence_id"], links["upload_id"]):
        by_item_month.setdefault((str(item), int(month)), []).append((str(url), int(evidence_id), pd.notna(upload_id)))
    latest = {(str(item), int(month)): (text, who) for item, month, text, who in zip(
        rows["item_id"], rows["month"], rows["bukti_dukung"], rows["reported_by"])}
    records = []
    for (item, month), (text, who) in latest.items():
        if item not in plan_ids:
            continue
        found = links_in(text).links
        attached = by_item_month.get((item, month), [])
        urls = {url for url, _, _ in attached}
        stale = [evidence_id for url, evidence_id, from_cell in attached if from_cell and url not in found]
        for index, url in enumerate(url for url in found if url not in urls):
            records.append({"item_id": item, "month": month, "url": url,
                            "replaces": stale[index] if index < len(stale) else None,
                            "added_by": str(who or "").strip() or by})
    return pd.DataFrame.from_records(records, columns=LINK_COLUMNS).astype({"month": "int64", "replaces": "Int64"})


def plan_ids(conn, ledger_id: int) -> set[str]:
    """The IDs of the ledger's plan in force."""
    return {row[0] for row in conn.execute(sa.text(
        "SELECT id FROM plan_items WHERE ledger_id = :ledger AND version = "
        "(SELECT MAX(version) FROM plan_versions WHERE ledger_id = :ledger)"), {"ledger": ledger_id})}


def links_to_attach(store, conn, rows: pd.DataFrame, by: str) -> pd.DataFrame:
    """planned_links against the ledger's current attachments as `conn` (None: a read) sees them."""
    if conn is None:
        with store.reading() as own:
            return links_to_attach(store, own, rows, by)
    current = evidence.attachments(store, conn=conn)
    return planned_links(current, plan_ids(conn, store.ledger_id), rows, by)


def attach_planned(store, conn, planned: pd.DataFrame, upload_id: int | None, by: str) -> int:
    """Attach planned links (links_to_attach, made in this transaction: their IDs are in the plan, their URLs
    checked and not attached yet) in the caller's transaction; each audited as `by`; how many."""
    for row in planned.itertuples(index=False):
        replaces = None if pd.isna(row.replaces) else int(row.replaces)
        evidence._insert(store, conn, row.item_id, int(row.month),
                         {"kind": evidence.LINK, "file_name": row.url, "sha256": "", "size": 0},
                         row.added_by, replaces, upload_id, by)
    return len(planned)


def attach_cell_links(store, conn, rows: pd.DataFrame, upload_id: int | None, by: str) -> int:
    """Make the links of the rows' Bukti Dukung (columns item_id, month, bukti_dukung, reported_by) link
    attachments of their item-months, in the caller's transaction; how many were attached (see the module
    docstring). For an upload, or one item-month changed through the same path."""
    return attach_planned(store, conn, links_to_attach(store, conn, rows, by), upload_id, by)
