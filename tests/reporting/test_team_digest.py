"""A long overdue list told per team (team_digest) and the figure cards' wording (figure_cards)."""

import pandas as pd
import pytest

from zi_data.reporting import figure_cards, reports
from zi_data.reporting.team_digest import team_digests


def overdue(rows) -> pd.DataFrame:
    return pd.DataFrame([{"penanggung_jawab": team, "id": item, "area": "I", "komponen": "K", "langkah_aksi": "L",
                          "bukti_fisik": "B", "month": month, "days_overdue": days, "status": "", "catatan": ""}
                         for team, item, month, days in rows])


def test_each_team_has_its_count_its_oldest_and_how_many_more():
    table = reports.overdue_table(overdue([
        ("Tim B", "II-1-1", 3, 30), ("Tim A", "I-1-1", 1, 90), ("Tim A", "I-1-2", 2, 60), ("Tim A", "I-1-3", 1, 90),
        ("Tim A", "I-2-1", 3, 30), ("Tim A", "I-2-2", 3, 30)]))
    first, second = team_digests(table, shown=3)
    assert (first.team, first.count, first.more) == ("Tim A", 5, 2)
    assert first.oldest == ("I-1-1 Januari (90 hari)", "I-1-3 Januari (90 hari)", "I-1-2 Februari (60 hari)")
    assert first.line == ("Terlama: I-1-1 Januari (90 hari), I-1-3 Januari (90 hari), I-1-2 Februari (60 hari) "
                          "… dan 2 lainnya")
    assert first.title == "Tim A · 5 bulan-kegiatan"
    assert len(first.rows) == 5 and "Penanggung Jawab" not in first.rows.columns
    assert list(first.rows["Hari Terlambat"]) == [90, 90, 60, 30, 30]
    assert (second.team, second.count, second.more) == ("Tim B", 1, 0)
    assert second.line == "Terlama: II-1-1 Maret (30 hari)"  # nothing more to count


def test_at_least_one_item_month_is_named():
    with pytest.raises(ValueError):
        team_digests(reports.overdue_table(overdue([("Tim A", "I-1-1", 1, 90)])), shown=0)


def test_the_summary_cards_read_without_their_tooltips():
    as_of, annual = {"planned": 19, "done": 2, "rate": 2 / 19}, {"planned": 76, "done": 2, "rate": 2 / 76}
    cards = figure_cards.summary_cards(3, as_of, annual, overdue=119, due_in_month=(17, 19))
    assert [(card.label, card.value) for card in cards] == [
        ("Capaian s.d. Maret (selesai)", "10,5 %"), ("Capaian tahunan (selesai)", "2,6 %"),
        ("Belum selesai, jatuh tempo Maret (bulan-kegiatan)", "17 dari 19"),
        ("Terlambat (bulan-kegiatan)", "119")]
    frozen = figure_cards.summary_cards(3, as_of, annual, overdue=5)
    assert (frozen[2].label, frozen[2].value) == ("Selesai s.d. Maret (bulan-kegiatan)", "2 dari 19")


def test_the_preview_cards_name_their_unit_and_show_the_rejected_only_when_some_are():
    counts = {"new": 2, "changed": 0, "unchanged": 5, "conflicts": 0, "plan_changes": 1, "rejected": 0}
    assert [(card.label, card.value) for card in figure_cards.preview_cards(counts)] == [
        ("Baru (bulan-kegiatan)", "2"), ("Diubah (bulan-kegiatan)", "0"), ("Tetap (bulan-kegiatan)", "5"),
        ("Konflik (bulan-kegiatan)", "0"), ("Perubahan rencana (langkah aksi)", "1")]
    labels = [card.label for card in figure_cards.preview_cards({**counts, "rejected": 1, "bukti_berkas": 0})]
    assert labels[-2:] == ["Ditolak (baris)", "Berkas bukti (berkas)"]


def test_the_points_card_says_of_how_many():
    assert figure_cards.points_card("0,43", "60") == ("Pengungkit (perkiraan, poin)", "0,43 dari 60", None)
    assert figure_cards.points_card("12,00", "60", "bila semua s.d. Juni selesai").label == \
        "Pengungkit (perkiraan, poin) bila semua s.d. Juni selesai"
