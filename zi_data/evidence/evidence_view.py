"""Evidence as the pages show it: an item-month's attachments with their versions, a team's item-months with
their evidence, sizes in Indonesian format, and several files attached with one message per refused file."""

import pandas as pd

from . import evidence
from ..files.file_types import KINDS, size_text
from ..base.clock import table_moments
from ..base.months import MONTHS
from ..base.problems import Refusal
from ..plan.status import STATE_LABELS


def kind_label(kind: str) -> str:
    return "Tautan" if kind == evidence.LINK else KINDS[kind].label if kind in KINDS else str(kind)


def item_month_attachments(every_version: pd.DataFrame, item_id: str, month: int) -> pd.DataFrame:
    """`evidence.attachments(store, current_only=False)` of one item-month: every version, oldest first."""
    rows = every_version[(every_version["item_id"] == item_id) & (every_version["month"] == month)]
    return rows.sort_values("evidence_id").reset_index(drop=True)


def attachment_table(versions: pd.DataFrame, shown_name=str, *, zone: str) -> pd.DataFrame:
    """`versions` (item_month_attachments) with Indonesian headers, times in the office's `zone`; `shown_name` turns
    an uploader's account name into what the reader may see (e.g. a public label). File names and URLs stay data:
    shown as table cells."""
    replaced_by = {int(old): int(new) for new, old in zip(versions["evidence_id"], versions["replaces"])
                   if pd.notna(old)}
    names = {int(key): name for key, name in zip(versions["evidence_id"], versions["file_name"])}

    def note(row) -> str:
        if row.current:
            return "Berlaku" + (f" · versi baru dari #{int(row.replaces)} {names.get(int(row.replaces), '')}".rstrip()
                                if pd.notna(row.replaces) else "")
        if row.evidence_id in replaced_by:
            return f"Diganti oleh #{replaced_by[row.evidence_id]}"
        return f"Dibatalkan bersama unggahan #{int(row.upload_id)}" if pd.notna(row.upload_id) else "Tidak berlaku"

    return pd.DataFrame({
        "No.": versions["evidence_id"].astype(int),
        "Berkas": versions["file_name"].astype(str),
        "Jenis": versions["kind"].map(kind_label),
        "Ukuran": [("–" if kind == evidence.LINK else size_text(int(size)))
                   for kind, size in zip(versions["kind"], versions["size"])],
        "Oleh": versions["added_by"].map(shown_name),
        "Waktu": table_moments(versions["added_at"], zone),
        "Keterangan": [note(row) for row in versions.itertuples()],
    })


def team_evidence_table(classified: pd.DataFrame, states: pd.DataFrame, teams: tuple[str, ...],
                        through_month: int) -> pd.DataFrame:
    """The planned item-months of `teams` due up to `through_month`, and later ones that already have evidence,
    with their state, files and the penilai's verdict: what a team lead works through."""
    rows = classified.loc[classified["planned"] & classified["penanggung_jawab"].isin(teams),
                          ["id", "langkah_aksi", "month", "state"]]
    rows = rows.merge(states[["item_id", "month", "files", "links", "review_state", "review_note"]],
                      how="left", left_on=["id", "month"], right_on=["item_id", "month"])
    rows = rows[(rows["month"] <= through_month) | rows["review_state"].fillna("").ne("")]
    return pd.DataFrame({
        "ID": rows["id"], "Langkah Aksi": rows["langkah_aksi"], "Bulan": rows["month"].map(lambda m: MONTHS[m - 1]),
        "Status": rows["state"].map(STATE_LABELS), "Berkas": rows["files"].fillna(0).astype(int),
        "Tautan": rows["links"].fillna(0).astype(int),
        "Verifikasi": rows["review_state"].fillna("").map(lambda state: evidence.REVIEW_LABELS.get(state, "")),
        "Catatan Penilai": rows["review_note"].fillna("").astype(str),
        "month": rows["month"],
    }).reset_index(drop=True)


def attach_uploads(store, item_id: str, month: int, files: list[tuple[str, bytes]], by: str,
                   replaces: int | None = None) -> tuple[list[int], list[str]]:
    """Attach each (file name, content) to the item-month, each on its own: the ids attached, and one Indonesian
    message per refused file, naming it. Replacing takes exactly one file."""
    if replaces is not None and len(files) != 1:
        return [], ["Pilih tepat satu berkas untuk menggantikan lampiran yang ada."]
    attached, refusals = [], []
    for name, data in files:
        try:
            attached.append(evidence.attach_file(store, item_id, month, name, data, by, replaces=replaces))
        except Refusal as error:
            message = str(error)
            refusals.append(message if name in message else f"{name}: {message}")
    return attached, refusals
