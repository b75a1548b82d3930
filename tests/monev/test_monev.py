"""The monev meeting record: frozen snapshots, follow-ups and their closing, on both backends."""

import json
from datetime import date

import pandas as pd
import pytest
import sqlalchemy as sa

from helpers import run_cli
from lembar_helpers import MEETING_ADMIN, TEAM, record
from zi_data.store import audit
from zi_data.monev import monev, monev_snapshot
from zi_data.plan import status
from zi_data.store.accounts import User

OTHER_TEAM = "Tim Pengawasan"
LEAD = User("rina", "editor", TEAM, "6203")
OTHER_LEAD = User("budi", "editor", OTHER_TEAM, "6203")


@pytest.fixture
def store(store_on_each_backend):
    return store_on_each_backend


def report(store, rows: list[tuple]) -> None:
    """Entries (item, month, status, bukti dukung) as an upload would append them."""
    frame = pd.DataFrame(rows, columns=["item_id", "month", "status", "bukti_dukung"]).assign(reported_by="uji")
    with store.transaction() as conn:
        store.append_entries(conn, frame, None)


def test_a_meeting_freezes_what_status_json_says_for_its_month_and_keeps_it_after_later_uploads(store):
    report(store, [("I-1-1", 1, "Selesai", "SK Tim")])
    meeting_id = record(store)
    printed = json.loads(run_cli("status", "--json", "--as-of", "2025-06", data_dir=store.data_dir,
                                 check_returncode=0).stdout)
    frozen = monev.meeting(store, meeting_id)["snapshot"]
    assert {key: frozen[key] for key in printed} == printed
    assert frozen["overall"]["as_of"]["done"] == 1
    report(store, [("I-1-1", 1, "Belum", "")])
    assert monev.meeting(store, meeting_id)["snapshot"] == frozen
    assert monev.report_data(store, meeting_id=meeting_id)["snapshot"] == frozen
    live = monev.report_data(store, as_of_month=6)["snapshot"]
    assert live["overall"]["as_of"]["done"] != frozen["overall"]["as_of"]["done"]


def test_a_snapshot_carries_komponen_rates_the_kurva_s_and_frames_the_charts_take(store):
    report(store, [("I-1-1", 1, "Selesai", "SK Tim")])
    snapshot = monev.meeting(store, record(store, as_of_month=3))["snapshot"]
    plan, latest = store.plan(), store.latest()
    as_of = date(2025, 3, 31)
    classified = status.classify(plan, latest, as_of)
    pd.testing.assert_frame_equal(monev_snapshot.completion_frame(snapshot, "by_area"),
                                  status.completion(classified, as_of, "area"), check_exact=False, atol=1e-6)
    pd.testing.assert_frame_equal(monev_snapshot.completion_frame(snapshot, "by_komponen"),
                                  status.completion(classified, as_of, "komponen"), check_exact=False, atol=1e-6)
    pd.testing.assert_frame_equal(monev_snapshot.kurva_s_frame(snapshot), status.kurva_s(classified, as_of),
                                  check_exact=False, atol=1e-6)
    assert list(monev_snapshot.overdue_frame(snapshot)["id"]) == list(status.overdue_list(classified)["id"])
    assert snapshot["office_name"] == "Komisi Pemilihan Umum Kabupaten Kapuas"
    assert list(snapshot["area_names"]) == ["I", "II", "III", "IV", "V", "VI"]


@pytest.mark.parametrize("changes, field", [
    ({"kind": "rapat_besar"}, "Jenis rapat"), ({"chair": "  "}, "Pimpinan rapat"), ({"as_of_month": 13}, "bulan"),
    ({"held_on": date(2019, 1, 1)}, "Tanggal rapat"), ({"participants": "", "participant_count": None}, "peserta"),
    ({"participant_count": 0}, "Jumlah peserta"), ({"notes": "x" * 5001}, "Catatan"),
])
def test_a_meeting_with_a_bad_field_is_refused_naming_it_and_nothing_is_recorded(store, changes, field):
    with pytest.raises(monev.MonevError, match=field):
        record(store, **changes)
    assert monev.meetings(store).empty


def test_meetings_are_listed_newest_first_and_audited(store):
    first = record(store, held_on=date(2025, 4, 2), as_of_month=3, participants="", participant_count=12)
    second = record(store, held_on=date(2025, 7, 3), kind="pleno")
    listed = monev.meetings(store)
    assert list(listed["meeting_id"]) == [second, first]
    assert listed["held_on"].iloc[1] == date(2025, 4, 2) and listed["participant_count"].iloc[1] == 12
    actions = audit.audit_events(store)["action"].tolist()
    assert actions.count("rapat_monev_dicatat") == 2
    with pytest.raises(monev.MeetingNotFound):
        monev.meeting(store, second + 100)


def test_a_follow_up_is_closed_once_with_a_note_by_its_teams_editor_or_an_admin(store):
    meeting_id = record(store)
    mine = monev.add_follow_up(store, action="Lengkapi daftar hadir", team=TEAM, due_on=date(2025, 7, 31),
                               item_id="I-3-1", by="admin.zi", meeting_id=meeting_id)
    theirs = monev.add_follow_up(store, action="Unggah SK", team=OTHER_TEAM, due_on=date(2025, 7, 10),
                                 item_id="", by="admin.zi", meeting_id=meeting_id)
    with pytest.raises(monev.MonevError, match=OTHER_TEAM):
        monev.close_follow_up(store, theirs, "sudah", LEAD)
    with pytest.raises(monev.MonevError, match="Catatan penutupan"):
        monev.close_follow_up(store, mine, "  ", LEAD)
    with pytest.raises(monev.MonevError):
        monev.close_follow_up(store, mine, "sudah", User("tamu", "viewer", "", "6203"))
    with pytest.raises(monev.MonevError):
        monev.close_follow_up(store, mine, "sudah", User("rina", "editor", TEAM, "6201"))  # another office
    monev.close_follow_up(store, mine, "Daftar hadir diunggah", LEAD)
    monev.close_follow_up(store, theirs, "SK diunggah", MEETING_ADMIN)
    with pytest.raises(monev.MonevError, match="sudah ditutup"):
        monev.close_follow_up(store, mine, "lagi", MEETING_ADMIN)
    closed = monev.follow_ups(store).set_index("follow_up_id")
    assert closed.loc[mine, ["closed", "closure_note", "closed_by"]].tolist() == [True, "Daftar hadir diunggah", "rina"]
    assert monev.follow_ups(store, open_only=True).empty
    actions = audit.audit_events(store)["action"].tolist()
    assert actions.count("tindak_lanjut_ditambahkan") == 2 and actions.count("tindak_lanjut_ditutup") == 2


def test_follow_ups_are_filtered_by_team_ordered_by_due_date_and_overdue_counted_from_today(store):
    late = monev.add_follow_up(store, action="A", team=TEAM, due_on=date(2025, 7, 1), item_id=None, by="admin.zi")
    later = monev.add_follow_up(store, action="B", team=OTHER_TEAM, due_on=date(2025, 8, 1), item_id=None,
                                by="admin.zi")
    listed = monev.follow_ups(store, today=date(2025, 7, 11))
    assert list(listed["follow_up_id"]) == [late, later]
    assert listed[["overdue", "days_overdue"]].values.tolist() == [[True, 10], [False, 0]]
    assert list(monev.follow_ups(store, teams=[OTHER_TEAM])["follow_up_id"]) == [later]
    assert pd.isna(listed["meeting_id"]).all() and listed["due_on"].iloc[0] == date(2025, 7, 1)


@pytest.mark.parametrize("changes, field", [
    ({"team": "Tim Fiktif"}, "Tim"), ({"item_id": "IX-9-9"}, "Langkah aksi"), ({"action": ""}, "Tindak lanjut"),
    ({"meeting_id": 999}, "Rapat nomor"),
])
def test_a_follow_up_naming_what_the_plan_lacks_is_refused(store, changes, field):
    fields = {"action": "A", "team": TEAM, "due_on": date(2025, 7, 1), "item_id": None, "by": "admin.zi"} | changes
    with pytest.raises((monev.MonevError, monev.MeetingNotFound), match=field):
        monev.add_follow_up(store, **fields)
    assert monev.follow_ups(store).empty


def test_the_next_meeting_shows_the_last_meetings_follow_ups(store):
    first = record(store, held_on=date(2025, 4, 2), as_of_month=3)
    decided = monev.add_follow_up(store, action="A", team=TEAM, due_on=date(2025, 5, 1), item_id=None,
                                  by="admin.zi", meeting_id=first)
    second = record(store, held_on=date(2025, 7, 3))
    assert list(monev.previous_meeting_follow_ups(store, second)["follow_up_id"]) == [decided]
    assert monev.previous_meeting_follow_ups(store, first).empty
    assert monev.previous_meeting_follow_ups(store).empty  # the newest meeting decided nothing yet


def test_the_report_of_a_meeting_holds_its_follow_ups_and_an_as_of_report_the_open_ones(store):
    meeting_id = record(store)
    decided = monev.add_follow_up(store, action="A", team=TEAM, due_on=date(2025, 7, 1), item_id="I-3-1",
                                  by="admin.zi", meeting_id=meeting_id)
    outside = monev.add_follow_up(store, action="B", team=TEAM, due_on=date(2025, 7, 1), item_id=None, by="admin.zi")
    data = monev.report_data(store, meeting_id=meeting_id)
    assert data["meeting"]["chair"] == "Ketua KPU" and "snapshot" not in data["meeting"]
    assert [row["follow_up_id"] for row in data["follow_ups"]] == [decided]
    assert data["follow_ups"][0]["due_on"] == "2025-07-01" and data["year"] == 2025
    assert data["place"] == "Kuala Kapuas"
    json.dumps({**data, "meeting": None})  # JSON-ready apart from the meeting's date
    monev.close_follow_up(store, decided, "selesai", MEETING_ADMIN)
    as_of = monev.report_data(store, as_of_month=6)
    assert as_of["meeting"] is None and [row["follow_up_id"] for row in as_of["follow_ups"]] == [outside]


def test_meetings_follow_ups_and_closures_cannot_be_rewritten(store):
    meeting_id = record(store)
    follow_up = monev.add_follow_up(store, action="A", team=TEAM, due_on=date(2025, 7, 1), item_id=None,
                                    by="admin.zi", meeting_id=meeting_id)
    monev.close_follow_up(store, follow_up, "selesai", MEETING_ADMIN)
    for statement in ("UPDATE monev_meetings SET snapshot = '{}'", "DELETE FROM follow_ups",
                      "UPDATE follow_up_closures SET note = 'x'"):
        with pytest.raises(sa.exc.DatabaseError), store.transaction() as conn:
            conn.execute(sa.text(statement))
    assert monev.meeting(store, meeting_id)["snapshot"]["overall"]


def test_the_meeting_item_is_found_by_id_or_by_its_langkah_aksi(store):
    plan = store.plan()
    assert monev.monev_item_id(plan) == "I-3-1"
    renamed = plan.assign(id=plan["id"].replace({"I-3-1": "I-3-9"}))
    assert monev.monev_item_id(renamed) == "I-3-9"
    assert monev.monev_item_id(plan[plan["id"] != "I-3-1"]) is None


def test_a_meeting_goes_through_the_open_follow_ups_first_by_due_date():
    from zi_data.monev.monev_tables import open_first

    follow_ups = pd.DataFrame({"follow_up_id": [1, 2, 3, 4], "closed": [True, False, False, True],
                               "due_on": [date(2025, 5, 1), date(2025, 8, 1), date(2025, 6, 1), date(2025, 4, 1)]})
    assert list(open_first(follow_ups)["follow_up_id"]) == [3, 2, 4, 1]
