"""Evidence attached to item-months: storage once per content, versions, undo, reviews and the counting rule."""

from datetime import date

import pandas as pd
import pytest
import sqlalchemy as sa

from realisasi_helpers import fill
from zi_data.store import counting_rule, rollup
from zi_data.evidence import evidence
from zi_data.files import evidence_files
from zi_data.plan import status
from zi_data.base.problems import InputError, Refusal
from zi_data.realisasi.realisasi_export import export_workbook
from zi_data.realisasi.realisasi_import import apply_preview, preview_upload

ITEM, MONTH = "I-1-1", 1
AS_OF = date(2025, 3, 31)


@pytest.fixture
def store(store_on_each_backend):
    """These tests run on both backends."""
    return store_on_each_backend


def pdf(text: str = "isi") -> bytes:
    return b"%PDF-1.4\n% " + text.encode() + b"\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def report(store, status_text: str = "Selesai", bukti: str = "", item=ITEM, month=MONTH) -> None:
    with store.transaction() as conn:
        store.append_entries(conn, pd.DataFrame({"item_id": [item], "month": [month], "status": [status_text],
                                                 "bukti_dukung": [bukti], "reported_by": ["uji"]}), None)


def state_of(store, item=ITEM, month=MONTH) -> dict:
    states = evidence.evidence_states(store, store.latest())
    found = states[(states["item_id"] == item) & (states["month"] == month)]
    return found.iloc[0].to_dict() if len(found) else {}


def classified_state(store, rule: str | None = None) -> str:
    latest = store.latest()
    rows = status.classify(store.plan(), latest, AS_OF, evidence=evidence.evidence_states(store, latest),
                           rule=rule or counting_rule.counting_rule(store))
    return rows[(rows["id"] == ITEM) & (rows["month"] == MONTH)]["state"].iloc[0]


def test_a_file_is_stored_once_by_its_content_and_listed_with_its_details(store):
    first = evidence.attach_file(store, ITEM, MONTH, "SK Tim ZI.pdf", pdf(), "rina")
    again = evidence.attach_file(store, ITEM, MONTH, "SK Tim ZI.pdf", pdf(), "rina")
    elsewhere = evidence.attach_file(store, "I-2-1", 2, "salinan.pdf", pdf(), "budi")
    current = evidence.attachments(store)
    assert first == again and elsewhere != first
    assert len(current) == 2
    row = current[current["evidence_id"] == first].iloc[0]
    assert (row["file_name"], row["kind"], row["size"], row["added_by"]) == ("SK Tim ZI.pdf", "pdf", len(pdf()), "rina")
    blob = evidence.blob_file(store, row["sha256"])
    assert blob.read_bytes() == pdf()
    assert list((store.data_dir / evidence_files.EVIDENCE_DIR).rglob("*")) == [blob.parent, blob]
    assert oct(blob.stat().st_mode & 0o777) == "0o600"


def test_a_file_name_is_never_a_path(store):
    evidence_id = evidence.attach_file(store, ITEM, MONTH, "../../etc/passwd.pdf", pdf(), "rina")
    row = evidence.attachments(store).set_index("evidence_id").loc[evidence_id]
    assert row["file_name"] == "passwd.pdf"
    assert evidence.blob_file(store, row["sha256"]).parent.parent == store.data_dir / evidence_files.EVIDENCE_DIR


def test_refused_files_and_items_change_nothing(store, monkeypatch):
    with pytest.raises(InputError, match="bukan dokumen"):
        evidence.attach_file(store, ITEM, MONTH, "bukti.pdf", b"<html><script>alert(1)</script></html>", "rina")
    with pytest.raises(Refusal, match="tidak ada dalam rencana"):
        evidence.attach_file(store, "IX-9-9", MONTH, "a.pdf", pdf(), "rina")
    with pytest.raises(Refusal, match="1–12"):
        evidence.attach_file(store, ITEM, 13, "a.pdf", pdf(), "rina")
    monkeypatch.setenv("ZI_EVIDENCE_MAX_MB", "0.0001")
    with pytest.raises(InputError):
        evidence.attach_file(store, ITEM, MONTH, "besar.pdf", pdf("x" * 500), "rina")
    assert evidence.attachments(store).empty
    assert not (store.data_dir / evidence_files.EVIDENCE_DIR).exists()


@pytest.mark.parametrize("link", ["javascript:alert(1)", "file:///etc/passwd", "ftp://x.id/a", "https://",
                                  "http://a b.id", "data:text/html,<b>x</b>", "  ", "https://x.id/\"onmouseover"])
def test_only_http_links_are_evidence(store, link):
    with pytest.raises(Refusal, match="http"):
        evidence.attach_link(store, ITEM, MONTH, link, "rina")


def test_a_link_is_kept_as_given(store):
    evidence_id = evidence.attach_link(store, ITEM, MONTH, " https://drive.example.id/bukti?id=1 ", "rina")
    row = evidence.attachments(store).set_index("evidence_id").loc[evidence_id]
    assert (row["kind"], row["file_name"], row["sha256"]) == ("tautan", "https://drive.example.id/bukti?id=1", "")
    assert evidence.attach_link(store, ITEM, MONTH, "https://drive.example.id/bukti?id=1", "rina") == evidence_id


def test_replacing_appends_a_version_and_keeps_the_old_one(store):
    old = evidence.attach_file(store, ITEM, MONTH, "sk.pdf", pdf("lama"), "rina")
    new = evidence.attach_file(store, ITEM, MONTH, "sk-revisi.pdf", pdf("baru"), "rina", replaces=old)
    assert list(evidence.attachments(store)["evidence_id"]) == [new]
    history = evidence.attachments(store, current_only=False).set_index("evidence_id")
    assert history.loc[old, "current"] is False or not history.loc[old, "current"]
    assert history.loc[new, "replaces"] == old
    assert evidence.blob_file(store, history.loc[old, "sha256"]).read_bytes() == pdf("lama")
    with pytest.raises(Refusal, match="bukan bukti yang berlaku"):
        evidence.attach_file(store, ITEM, MONTH, "lagi.pdf", pdf("ketiga"), "rina", replaces=old)
    with store.reading() as conn:
        actions = [row[0] for row in conn.execute(sa.text("SELECT action FROM audit_log ORDER BY event_id"))]
    assert actions[-2:] == ["bukti_ditambah", "bukti_diganti"]


def test_evidence_rows_are_append_only(store):
    evidence.attach_file(store, ITEM, MONTH, "sk.pdf", pdf(), "rina")
    for statement in ("UPDATE evidence SET file_name = 'x'", "DELETE FROM evidence"):
        with pytest.raises(sa.exc.DatabaseError, match="append-only"):
            with store.transaction() as conn:
                conn.execute(sa.text(statement))
    assert len(evidence.attachments(store)) == 1


def test_undoing_an_upload_hides_the_files_it_attached_and_brings_back_the_version_it_replaced(store):
    old = evidence.attach_file(store, ITEM, MONTH, "sk.pdf", pdf("lama"), "rina")
    data = fill(export_workbook(store, None, 1), {(ITEM, MONTH): {"status": "Selesai", "bukti": "sk.pdf"}})
    applied = apply_preview(store, preview_upload(store, data, "isi.xlsx"), by="rina")
    with store.transaction() as conn:
        added = evidence.attach_file(store, "I-2-1", 1, "baru.pdf", pdf("baru"), "rina", upload_id=applied.upload_id,
                                     conn=conn)
        newer = evidence.attach_file(store, ITEM, MONTH, "sk.pdf", pdf("revisi"), "rina", replaces=old,
                                     upload_id=applied.upload_id, conn=conn)
    assert set(evidence.attachments(store)["evidence_id"]) == {added, newer}
    store.undo_upload(applied.upload_id, "rina")
    assert list(evidence.attachments(store)["evidence_id"]) == [old]


def test_a_review_applies_to_the_evidence_it_saw(store):
    report(store, bukti="")
    with pytest.raises(Refusal, match="belum punya bukti"):
        evidence.review(store, ITEM, MONTH, "diterima", "", "tpi")
    first = evidence.attach_file(store, ITEM, MONTH, "sk.pdf", pdf(), "rina")
    assert state_of(store)["review_state"] == "menunggu"
    with pytest.raises(Refusal, match="catatan"):
        evidence.review(store, ITEM, MONTH, "perlu_perbaikan", "  ", "tpi")
    evidence.review(store, ITEM, MONTH, "perlu_perbaikan", "Belum ditandatangani", "tpi")
    rejected = state_of(store)
    assert (rejected["review_state"], rejected["review_note"], rejected["reviewed_by"]) == (
        "perlu_perbaikan", "Belum ditandatangani", "tpi")
    second = evidence.attach_file(store, ITEM, MONTH, "sk-ttd.pdf", pdf("ttd"), "rina", replaces=first)
    assert state_of(store)["review_state"] == "menunggu"
    evidence.review(store, ITEM, MONTH, "diterima", "", "tpi")
    assert state_of(store)["review_state"] == "diterima"
    assert state_of(store)["files"] == 1 and second in set(evidence.attachments(store)["evidence_id"])
    report(store, bukti="tautan lain")  # the bukti dukung text changed: the evidence seen is no longer all of it
    assert state_of(store)["review_state"] == "menunggu"


def test_a_review_comes_back_when_the_change_after_it_is_undone(store):
    data = fill(export_workbook(store, None, 1), {(ITEM, MONTH): {"status": "Selesai", "bukti": "SK di arsip"}})
    apply_preview(store, preview_upload(store, data, "isi.xlsx"), by="rina")
    evidence.review(store, ITEM, MONTH, "diterima", "", "tpi")
    data = fill(export_workbook(store, None, 1), {(ITEM, MONTH): {"status": "Selesai", "bukti": "SK versi lain"}})
    second = apply_preview(store, preview_upload(store, data, "isi2.xlsx"), by="rina")
    assert state_of(store)["review_state"] == "menunggu"
    store.undo_upload(second.upload_id, "rina")
    assert state_of(store)["review_state"] == "diterima"


def test_the_counting_rule_decides_what_counts_as_selesai(store):
    report(store, bukti="")
    assert classified_state(store) != "selesai"  # Selesai without evidence
    evidence.attach_file(store, ITEM, MONTH, "sk.pdf", pdf(), "rina")
    assert classified_state(store) == "selesai"  # an attached file is evidence
    counting_rule.set_counting_rule(store, "terverifikasi", "koordinator")
    assert counting_rule.counting_rule(store) == "terverifikasi"
    assert classified_state(store) != "selesai"  # awaiting review
    evidence.review(store, ITEM, MONTH, "perlu_perbaikan", "Kurang lampiran", "tpi")
    assert classified_state(store) != "selesai"
    evidence.review(store, ITEM, MONTH, "diterima", "", "tpi")
    assert classified_state(store) == "selesai"
    counting_rule.set_counting_rule(store, "bukti", "koordinator")
    assert classified_state(store) == "selesai"
    with pytest.raises(Refusal, match="tidak dikenal"):
        counting_rule.set_counting_rule(store, "semua", "koordinator")


def test_the_counting_rule_belongs_to_one_plan_year_and_is_in_status_json(store):
    counting_rule.set_counting_rule(store, "terverifikasi", "koordinator")
    other = store.with_ledger(store.office, store.year)
    assert counting_rule.counting_rule(other) == "terverifikasi"
    summary = status.status_summary(store.plan(), store.latest(), AS_OF, rule=counting_rule.counting_rule(store))
    assert summary["aturan_hitung"] == "terverifikasi"


def test_revision_changes_with_evidence_reviews_and_settings(store):
    seen = {evidence.revision(store)}
    evidence.attach_file(store, ITEM, MONTH, "sk.pdf", pdf(), "rina")
    seen.add(evidence.revision(store))
    evidence.review(store, ITEM, MONTH, "diterima", "", "tpi")
    seen.add(evidence.revision(store))
    counting_rule.set_counting_rule(store, "terverifikasi", "koordinator")
    seen.add(evidence.revision(store))
    assert len(seen) == 4


def rollup_done(store) -> int:
    with store.reading() as conn:
        ranking = rollup.office_rollup(conn, [store.ledger_id], AS_OF)["ranking"]
    return int(ranking["done_as_of"].iloc[0])


def pages_done(store) -> int:
    latest = store.latest()
    classified = status.classify(store.plan(), latest, AS_OF, evidence=evidence.evidence_states(store, latest))
    return int(status.completion(classified, AS_OF)["done_as_of"].iloc[0])


def test_the_rollup_counts_attached_files_as_the_pages_do_under_the_bukti_rule(store):
    report(store, bukti="")
    assert rollup_done(store) == pages_done(store) == 0
    evidence.attach_file(store, ITEM, MONTH, "sk.pdf", pdf(), "rina")  # recorded counts must follow the attach
    assert rollup_done(store) == pages_done(store) == 1
    data = fill(export_workbook(store, None, 1), {("I-2-1", 1): {"status": "Selesai"}})
    applied = apply_preview(store, preview_upload(store, data, "isi.xlsx"), by="rina")
    with store.transaction() as conn:
        evidence.attach_file(store, "I-2-1", 1, "foto.pdf", pdf("foto"), "rina", upload_id=applied.upload_id,
                             conn=conn)
    assert rollup_done(store) == pages_done(store) == 2
    store.undo_upload(applied.upload_id, "rina")
    assert rollup_done(store) == pages_done(store) == 1
    with store.reading() as conn:  # the last write recorded counts for the ledger's state: none counted live
        state = sum(conn.execute(sa.text(f"SELECT COALESCE(MAX({key}), 0) FROM {table} WHERE ledger_id = :ledger"),
                                 {"ledger": store.ledger_id}).scalar()
                    for table, key in (("entries", "entry_id"), ("uploads", "upload_id"), ("evidence", "evidence_id")))
        recorded = conn.execute(sa.text("SELECT SUM(done) FROM rollup_counts WHERE ledger_id = :ledger "
                                        "AND through_entry_id = :state"), {"ledger": store.ledger_id, "state": state})
        assert recorded.scalar() == 1


def test_a_review_of_evidence_that_changed_since_it_was_shown_is_refused(store):
    report(store, bukti="SK di arsip")
    shown = evidence.evidence_key([], "SK di arsip")
    evidence.attach_file(store, ITEM, MONTH, "sk.pdf", pdf(), "rina")  # arrives while the penilai looks
    with pytest.raises(Refusal, match="berubah sejak ditampilkan"):
        evidence.review(store, ITEM, MONTH, "diterima", "", "tpi", expected_key=shown)
    assert evidence.reviews(store).empty
    current = evidence.evidence_key(evidence.attachments(store)["evidence_id"], "SK di arsip")
    evidence.review(store, ITEM, MONTH, "diterima", "", "tpi", expected_key=current)
    assert state_of(store)["review_state"] == "diterima"
