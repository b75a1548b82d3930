"""Questions asked of a plan frame: which team is meant, that team's rows, a fingerprint of the rows."""

import json

import pandas as pd

from ..base.cell_values import squash
from ..base.paths import sha256_of
from ..base.problems import InputError, Problem, shown

FINGERPRINT_COLUMNS = ["id", "area", "area_name", "no", "komponen", "indikator", "langkah_aksi", "bukti_fisik",
                       "penanggung_jawab", "months"]


def plan_fingerprint(plan: pd.DataFrame) -> str:
    """SHA-256 of the plan rows' content (not their order or sheet position)."""
    rows = sorted(
        [[str(getattr(row, c)) for c in FINGERPRINT_COLUMNS[:-1]] + [[int(m) for m in row.months]]
         for row in plan.itertuples(index=False)])
    return sha256_of(json.dumps(rows, ensure_ascii=False).encode())


def resolve_team(plan: pd.DataFrame, team: str | None) -> str | None:
    """The plan's spelling of `team` (case and spacing ignored); None for all teams. InputError if unknown."""
    if team is None or not str(team).strip():
        return None
    teams = list(dict.fromkeys(plan["penanggung_jawab"]))
    wanted = squash(team).casefold()
    for name in teams:
        if squash(name).casefold() == wanted:
            return name
    raise InputError([Problem(f"Tim '{shown(team)}' tidak ada di rencana aksi.",
                              fix=f"Pilih salah satu: {', '.join(teams)}.")])


def team_plan(plan: pd.DataFrame, team: str | None) -> pd.DataFrame:
    """The rows of `plan` that `team` is responsible for (all rows when None), attrs kept."""
    if team is None:
        return plan
    subset = plan[plan["penanggung_jawab"] == team].reset_index(drop=True)
    subset.attrs.update(plan.attrs)
    return subset
