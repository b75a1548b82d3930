"""A long list of item-months told per team, as a meeting reads it: each team's count, its oldest few
item-months and how many more ("… dan N lainnya"), with the team's full rows kept for the one click that shows
them (Rapat Monev's overdue list, Bukti Tertunggak on the projector).
"""

from dataclasses import dataclass

import pandas as pd

from ..base.months import listed_with_rest
from .reports import OVERDUE_HEADERS

SHOWN = 3  # the oldest item-months named per team
TEAM, ID, MONTH, DAYS = (OVERDUE_HEADERS[key] for key in ("penanggung_jawab", "id", "month_name", "days_overdue"))


@dataclass(frozen=True)
class TeamDigest:
    team: str
    count: int
    oldest: tuple[str, ...]  # "ID Bulan (N hari)" of the oldest item-months, most overdue first
    more: int  # how many item-months are not named in `oldest`
    rows: pd.DataFrame  # the team's rows of the table, without the team column

    @property
    def title(self) -> str:
        return f"{self.team} · {self.count} bulan-kegiatan"

    @property
    def line(self) -> str:
        """'Terlama: V-1-1 Januari (150 hari), … dan 12 lainnya' (plain text: IDs come from the plan)."""
        return "Terlama: " + listed_with_rest(self.oldest, self.more)


def team_digests(table: pd.DataFrame, shown: int = SHOWN) -> list[TeamDigest]:
    """reports.overdue_table's rows per team (teams in name order, as the table has them), each team's rows most
    overdue first; the `shown` oldest are named."""
    if shown < 1:
        raise ValueError("Paling sedikit satu bulan-kegiatan disebut per tim.")
    digests = []
    for team, rows in table.groupby(TEAM, sort=True):
        rows = rows.sort_values(DAYS, ascending=False, kind="stable").drop(columns=[TEAM]).reset_index(drop=True)
        oldest = tuple(f"{row[ID]} {row[MONTH]} ({int(row[DAYS])} hari)" for _, row in rows.head(shown).iterrows())
        digests.append(TeamDigest(str(team), len(rows), oldest, max(len(rows) - shown, 0), rows))
    return digests
