"""What changed between two plans, matched by ID, with likely renamed IDs paired up.

A langkah aksi whose ID disappeared while another ID appeared may be the same step
under a new ID. Such pairs are proposed, never applied by themselves:

- "teks sama" (strong): KOMPONEN, INDIKATOR, LANGKAH AKSI and BUKTI FISIK are identical
  (whitespace and case ignored);
- "posisi sama" (weaker): same area, same komponen and the same place among that
  komponen's rows, and a similar LANGKAH AKSI text (edited, not replaced);
- "ditetapkan": a pair named by the admin (CLI --rename OLD=NEW).

Each ID is paired at most once: strong matches first, in plan order. A pair is listed as
one change PLAN_CHANGE_RENAMED (id = new ID, old_id = old ID) instead of a removal and
an addition.
"""

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

import pandas as pd

PLAN_CHANGE_COLUMNS = ["change", "id", "old_id", "match", "langkah_aksi", "penanggung_jawab", "old_months",
                       "new_months", "fields", "row"]
PLAN_CHANGE_ADDED, PLAN_CHANGE_REMOVED = "ditambah", "dihapus"
PLAN_CHANGE_MONTHS, PLAN_CHANGE_TEXT = "bulan diubah", "isi diubah"
PLAN_CHANGE_RENAMED = "ID diganti"
MATCH_SAME_TEXT, MATCH_SAME_PLACE, MATCH_NAMED = "teks sama", "posisi sama", "ditetapkan"
PLAN_FIELD_LABELS = {"area": "area", "area_name": "nama area", "no": "NO", "komponen": "KOMPONEN",
                     "indikator": "INDIKATOR", "langkah_aksi": "LANGKAH AKSI", "bukti_fisik": "BUKTI FISIK",
                     "penanggung_jawab": "PENANGGUNG JAWAB"}
PLAN_CHANGE_LABELS = {"old_id": "ID lama", "match": "Dasar dugaan"}
SAME_TEXT_FIELDS = ("komponen", "indikator", "langkah_aksi", "bukti_fisik")
SIMILAR_TEXT = 0.6  # difflib ratio of two LANGKAH AKSI texts still counted as one edited text


@dataclass(frozen=True)
class Rename:
    old_id: str
    new_id: str
    match: str

    @property
    def strong(self) -> bool:
        return self.match in (MATCH_SAME_TEXT, MATCH_NAMED)

    @property
    def pair(self) -> tuple[str, str]:
        return (self.old_id, self.new_id)


def _folded(value) -> str:
    return re.sub(r"\s+", " ", str(value)).strip().casefold()


def _places(plan: pd.DataFrame) -> dict[str, tuple]:
    """ID -> (area, komponen_pos, place among that komponen's rows)."""
    places, counter = {}, {}
    for item in plan.itertuples(index=False):
        group = (str(item.area), int(item.komponen_pos))
        counter[group] = counter.get(group, 0) + 1
        places[item.id] = (*group, counter[group])
    return places


def rename_candidates(old: pd.DataFrame, new: pd.DataFrame, named=()) -> list[Rename]:
    """Pairs (removed ID → added ID) that are likely one step renamed, each ID used at most once.

    `named` are (old, new) pairs chosen by a person; they are kept when old was removed
    and new was added, and take precedence over the detected ones.
    """
    old_items = {item.id: item for item in old.itertuples(index=False)}
    new_items = {item.id: item for item in new.itertuples(index=False)}
    removed = [i for i in old_items if i not in new_items]
    added = [i for i in new_items if i not in old_items]
    pairs: list[Rename] = []
    used_old, used_new = set(), set()

    def take(old_id, new_id, match):
        pairs.append(Rename(old_id, new_id, match))
        used_old.add(old_id)
        used_new.add(new_id)

    for old_id, new_id in named:
        if old_id in removed and new_id in added and old_id not in used_old and new_id not in used_new:
            take(old_id, new_id, MATCH_NAMED)
    texts = {i: tuple(_folded(getattr(new_items[i], f)) for f in SAME_TEXT_FIELDS) for i in added}
    for old_id in removed:
        wanted = tuple(_folded(getattr(old_items[old_id], f)) for f in SAME_TEXT_FIELDS)
        match = next((i for i in added if i not in used_new and texts[i] == wanted), None)
        if old_id not in used_old and match is not None:
            take(old_id, match, MATCH_SAME_TEXT)
    old_places, new_places = _places(old), _places(new)
    for old_id in removed:
        if old_id in used_old:
            continue
        for new_id in added:
            if new_id in used_new or new_places[new_id] != old_places[old_id]:
                continue
            ratio = SequenceMatcher(None, _folded(old_items[old_id].langkah_aksi),
                                    _folded(new_items[new_id].langkah_aksi)).ratio()
            if ratio >= SIMILAR_TEXT:
                take(old_id, new_id, MATCH_SAME_PLACE)
                break
    return pairs


def plan_changes(old: pd.DataFrame, new: pd.DataFrame, named=()) -> pd.DataFrame:
    """Rows added, removed, renamed, or with changed months or text between two plans (PLAN_CHANGE_COLUMNS)."""
    old_items = {item.id: item for item in old.itertuples(index=False)}
    new_items = {item.id: item for item in new.itertuples(index=False)}
    renames = rename_candidates(old, new, named) if len(old) and len(new) else []
    renamed_from = {r.new_id: r for r in renames}
    renamed_old = {r.old_id for r in renames}
    records = []
    for item in new.itertuples(index=False):
        before = old_items.get(item.id)
        if item.id in renamed_from:
            rename = renamed_from[item.id]
            before = old_items[rename.old_id]
            records.append(_plan_change(PLAN_CHANGE_RENAMED, item, tuple(before.months), tuple(item.months),
                                        _changed_fields(before, item), item.row, rename.old_id, rename.match))
            continue
        if before is None:
            records.append(_plan_change(PLAN_CHANGE_ADDED, item, (), tuple(item.months), "", item.row))
            continue
        if tuple(before.months) != tuple(item.months):
            records.append(_plan_change(PLAN_CHANGE_MONTHS, item, tuple(before.months), tuple(item.months), "",
                                        item.row))
        fields = _changed_fields(before, item)
        if fields:
            records.append(_plan_change(PLAN_CHANGE_TEXT, item, tuple(before.months), tuple(item.months), fields,
                                        item.row))
    for item in old.itertuples(index=False):
        if item.id not in new_items and item.id not in renamed_old:
            records.append(_plan_change(PLAN_CHANGE_REMOVED, item, tuple(item.months), (), "", None))
    frame = pd.DataFrame.from_records(records, columns=PLAN_CHANGE_COLUMNS)
    return frame.astype({"row": "Int64"})


def proposed_renames(changes: pd.DataFrame) -> list[Rename]:
    """The rename pairs listed in a plan_changes frame, in its order."""
    rows = changes[changes["change"] == PLAN_CHANGE_RENAMED]
    return [Rename(str(r.old_id), str(r.id), str(r.match)) for r in rows.itertuples(index=False)]


def _changed_fields(before, item) -> str:
    return ", ".join(label for key, label in PLAN_FIELD_LABELS.items()
                     if str(getattr(before, key)) != str(getattr(item, key)))


def _plan_change(change, item, old_months, new_months, fields, row, old_id="", match="") -> dict:
    return {"change": change, "id": item.id, "old_id": old_id, "match": match, "langkah_aksi": item.langkah_aksi,
            "penanggung_jawab": item.penanggung_jawab, "old_months": old_months, "new_months": new_months,
            "fields": fields, "row": row}
