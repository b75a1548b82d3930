"""Links written in a Bukti Dukung cell become link attachments: found in the text, attached on apply, undone,
replaced when the cell changes, and listed in the evidence package."""

import re
from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evidence_helpers import index_rows, package
from realisasi_helpers import fill
from zi_data.evidence import evidence
from zi_data.plan import status
from zi_data.store.counting_rule import set_counting_rule
from zi_data.evidence.evidence_links import attach_cell_links
from zi_data.base.link_text import links_in
from helpers import examples, new_store
from zi_data.realisasi.realisasi_export import export_workbook
from zi_data.realisasi.realisasi_import import apply_preview, preview_upload
from zi_data.realisasi.realisasi_layout import REALISASI_SHEET

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "contoh_realisasi_2025.xlsx"
SOP = "https://drive.example.go.id/sop?id=1&x=2"
SK = "https://bukti.example.go.id/sk-tim.pdf"
TEAM = "Tim Agen Perubahan"  # I-3-1's, planned every month


# --- finding links in a cell's text -------------------------------------------------------------------------

@pytest.mark.parametrize("text, links", [
    ("Lihat https://a.example/x.", ["https://a.example/x"]),
    ("(lihat https://a.example/x).", ["https://a.example/x"]),
    ("https://id.wikipedia.org/wiki/Zona_(integritas)", ["https://id.wikipedia.org/wiki/Zona_(integritas)"]),
    ("SK: https://a.example/sk.pdf, undangan: http://b.example/u?id=1&x=2; selesai!",
     ["https://a.example/sk.pdf", "http://b.example/u?id=1&x=2"]),
    ("https://a.example/1,https://b.example/2", ["https://a.example/1", "https://b.example/2"]),
    ("“https://a.example/x” dan 'https://b.example/y'", ["https://a.example/x", "https://b.example/y"]),
    ("https://a.example/x\u200bhttps://b.example/y", ["https://a.example/x", "https://b.example/y"]),
    ("1.https://a.example/x\n2.https://a.example/x", ["https://a.example/x"]),  # one per distinct URL
    ("HTTPS://A.example/Dok?q=1#bagian", ["HTTPS://A.example/Dok?q=1#bagian"]),
    ("https://a.example/?next=javascript:alert(1)", ["https://a.example/?next=javascript:alert(1)"]),
    ("SK Tim.pdf; Undangan.pdf", []),
    ("www.example.go.id/dokumen", []),  # no scheme: text, not a link
    ("lihathttps://a.example/x", []),  # glued to a word: not taken for a link
])
def test_links_are_found_as_people_write_them(text, links):
    assert list(links_in(text).links) == links
    assert links_in(text).refused == ()


@pytest.mark.parametrize("text, scheme", [
    ("ftp://server.example/bukti.pdf", "ftp:"), ("file:///C:/Dokumen/SK.pdf", "file:"),
    ("javascript:alert(1)", "javascript:"), ("mailto:tim@example.go.id", "mailto:"),
    ("data:text/html,<b>hai</b>", "data:"), ("smb://server/berbagi", "smb:"),
    ("ftp://h/https://a.example/x", "ftp:"),  # an http address inside another scheme's is no link either
])
def test_other_schemes_are_refused_with_a_message_naming_the_scheme(text, scheme):
    found = links_in(f"Bukti: {text} (arsip)")
    assert found.links == ()
    assert [reason.startswith(f"Tautan dengan skema {scheme} tidak dijadikan lampiran") for reason in found.refused] \
        == [True]


def test_an_incomplete_or_overlong_address_is_refused_and_words_like_data_are_no_scheme():
    assert links_in("https://").links == () and "bukan alamat http" in links_in("https://").refused[0]
    assert links_in("https://a.example/" + "x" * 2000).links == ()
    assert links_in("Data: laporan. Catatan: file: SK.pdf") == links_in("")


URL_CHARS = st.sampled_from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~/?#=&%+:@!$*,;")
URLS = st.builds(
    lambda scheme, host, path, end: f"{scheme}://{host}.example/{path}{end}",
    st.sampled_from(["http", "https", "HTTPS"]), st.from_regex(r"[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?", fullmatch=True),
    st.text(URL_CHARS, max_size=40).filter(lambda path: not re.search(r"[,;]https?://", path, re.I)),
    st.sampled_from("abcXYZ0189/_-="))
BEFORE = st.sampled_from([" ", "\n", "(", "“", "Tautan: ", "\t", "1. "])
AFTER = st.sampled_from([" ", "\n", ". ", ", ", "; ", ") ", "”", "\u200b", ".\n", "! "])


@settings(max_examples=examples(300), deadline=None)
@given(prefix=st.text(max_size=30), before=BEFORE, url=URLS, after=AFTER, suffix=st.text(max_size=30))
def test_any_link_in_any_text_is_found_exactly_once(prefix, before, url, after, suffix):
    found = links_in(prefix + before + url + after + suffix + " " + url)
    assert found.links.count(url) == 1
    assert all(link.lower().startswith(("http://", "https://")) for link in found.links)


@settings(max_examples=examples(300), deadline=None)
@given(text=st.text(max_size=60), other=st.sampled_from(["ftp://h.example/a", "FILE:///etc/passwd", "mailto:a@b.c",
                                                         "javascript:alert(1)", "data:text/plain;base64,SGk=",
                                                         "sftp://h.example/x", "vbscript:msgbox(1)"]))
def test_other_schemes_are_never_attached(text, other):
    found = links_in(f"{text} {other} {text}")
    assert all(link.lower().startswith(("http://", "https://")) for link in found.links)
    assert not any(other.lower() in link.lower() for link in found.links)
    assert any("skema" in reason for reason in found.refused)


# --- on apply -----------------------------------------------------------------------------------------------

def upload_rows(store, rows: dict, by: str = "rina") -> int | None:
    """Apply a downloaded workbook filled with `rows` ({(id, month): {status, bukti, ...}}); the upload id."""
    data = fill(export_workbook(store, TEAM, 2), rows)
    preview = preview_upload(store, data, "realisasi.xlsx")
    assert preview.ok, preview.errors
    return apply_preview(store, preview, by=by).upload_id


def links(store, *, current_only: bool = True) -> list[tuple]:
    frame = evidence.attachments(store, current_only=current_only)
    frame = frame[frame["kind"] == evidence.LINK]
    columns = ["item_id", "month", "file_name", "upload_id", "replaces", "added_by"]
    return [tuple(None if pd.isna(value) else value for value in row) for row in frame[columns].itertuples(index=False)]


def test_the_preview_counts_the_links_warns_of_other_schemes_and_the_row_is_still_accepted(store):
    rows = {("I-3-1", 1): {"status": "Selesai", "bukti": f"SK di {SK}, arsip ftp://arsip.example/sk.pdf"},
            ("I-3-1", 2): {"status": "Selesai", "bukti": f"{SOP} {SOP}."}}
    preview = preview_upload(store, fill(export_workbook(store, TEAM, 2), rows), "realisasi.xlsx")
    assert preview.ok and preview.counts()["bukti_tautan"] == 2
    [warning] = [p for p in preview.warnings if "skema" in p.message]
    assert warning.sheet == REALISASI_SHEET and warning.column == "I (Bukti Dukung)" and warning.row > 1
    assert warning.message.startswith("Tautan dengan skema ftp: tidak dijadikan lampiran")
    assert links(store) == []  # a preview writes nothing
    applied = apply_preview(store, preview, by="koordinator")
    assert applied.counts["bukti_tautan"] == 2 and store.uploads()["counts"].iloc[-1]["bukti_tautan"] == 2
    assert store.latest().set_index(["item_id", "month"]).loc[("I-3-1", 1), "status"] == "Selesai"
    assert links(store) == [("I-3-1", 1, SK, applied.upload_id, None, "koordinator"),
                            ("I-3-1", 2, SOP, applied.upload_id, None, "koordinator")]


def test_undoing_the_upload_hides_its_links_and_reuploading_adds_none_twice(store_on_each_backend):
    store = store_on_each_backend
    rows = {("I-3-1", 1): {"status": "Selesai", "bukti": SK, "by": "Rina"}}
    first = upload_rows(store, rows)
    assert links(store) == [("I-3-1", 1, SK, first, None, "Rina")]
    assert upload_rows(store, rows) is None and len(links(store, current_only=False)) == 1  # nothing new
    store.undo_upload(first, by="rina")
    assert links(store) == [] and len(links(store, current_only=False)) == 1  # hidden, kept
    again = upload_rows(store, rows)
    assert links(store) == [("I-3-1", 1, SK, again, None, "Rina")]


def test_a_changed_link_replaces_the_old_one_which_stays_in_history_and_comes_back_on_undo(store):
    first = upload_rows(store, {("I-3-1", 1): {"status": "Sebagian", "bukti": SK}})
    [(old_id, *_)] = evidence.attachments(store)[["evidence_id"]].itertuples(index=False)
    second = upload_rows(store, {("I-3-1", 1): {"status": "Selesai", "bukti": f"{SOP} (versi final)"}})
    assert [row[2:5] for row in links(store)] == [(SOP, second, old_id)]
    assert [row[2] for row in links(store, current_only=False)] == [SK, SOP]
    store.undo_upload(second, by="rina")
    assert [row[2:4] for row in links(store)] == [(SK, first)]


def test_a_link_attached_by_hand_is_neither_repeated_nor_replaced_by_a_cell(store):
    by_hand = evidence.attach_link(store, "I-3-1", 1, SK, "budi")
    upload_rows(store, {("I-3-1", 1): {"status": "Selesai", "bukti": SK}})
    upload_rows(store, {("I-3-1", 1): {"status": "Selesai", "bukti": "SK Tim.pdf"}})
    assert [(row[2], row[3]) for row in links(store)] == [(SK, None)]
    assert int(evidence.attachments(store)["evidence_id"].iloc[0]) == by_hand


def test_a_new_link_waits_for_review_once_and_counts_under_either_rule(store):
    upload_rows(store, {("I-3-1", 1): {"status": "Selesai", "bukti": "SK Tim.pdf"}})
    evidence.review(store, "I-3-1", 1, "diterima", "", "penilai")
    upload_rows(store, {("I-3-1", 1): {"status": "Selesai", "bukti": f"SK Tim.pdf {SK}"}})
    [state] = evidence.evidence_states(store, store.latest()).itertuples(index=False)
    assert (state.files, state.links, state.has_evidence, state.review_state) == (0, 1, True, "menunggu")

    def done(rule) -> int:
        classified = status.classify(store.plan(), store.latest(), date(2025, 12, 31),
                                     evidence=evidence.evidence_states(store, store.latest()), rule=rule)
        return int((classified["state"] == "selesai").sum())
    assert done("bukti") == 1 and done("terverifikasi") == 0
    set_counting_rule(store, "terverifikasi", "koordinator")
    key = evidence._evidence_key  # what the page shows the penilai
    with store.reading() as conn:
        shown_key = key(conn, store.ledger_id, "I-3-1", 1)[0]
    evidence.review(store, "I-3-1", 1, "diterima", "", "penilai", expected_key=shown_key)
    assert done("terverifikasi") == 1


def test_one_item_month_changed_outside_an_upload_uses_the_same_function(store):
    rows = pd.DataFrame([{"item_id": "I-3-1", "month": 3, "bukti_dukung": f"{SK} {SOP}", "reported_by": ""}])
    with store.transaction() as conn:
        assert attach_cell_links(store, conn, rows, None, "budi") == 2
        assert attach_cell_links(store, conn, rows, None, "budi") == 0
    assert [(row[2], row[5]) for row in links(store)] == [(SK, "budi"), (SOP, "budi")]
    unknown = rows.assign(item_id="X-9-9")
    with store.transaction() as conn:
        assert attach_cell_links(store, conn, unknown, None, "budi") == 0  # an ID not in the plan gets none


# --- the example workbook -----------------------------------------------------------------------------------

def example_links() -> set[tuple[str, str, str]]:
    """(ID, month name, URL) of every http(s) link in the example's Bukti Dukung cells of reported rows, read
    with openpyxl and a plain pattern (not the code under test)."""
    sheet = openpyxl.load_workbook(EXAMPLE, read_only=True)[REALISASI_SHEET]
    rows = sheet.iter_rows(values_only=True)
    headers = [str(value or "") for value in next(rows)]
    column = {name: headers.index(next(h for h in headers if h.startswith(name)))
              for name in ("ID", "Bulan", "Status", "Bukti Dukung")}
    return {(row[column["ID"]], row[column["Bulan"]], url) for row in rows if row[column["Status"]]
            for url in re.findall(r"https?://[^\s]+", str(row[column["Bukti Dukung"]] or ""))}


def test_the_example_workbook_package_lists_one_row_per_item_month_link(store_on_each_backend):
    store = store_on_each_backend
    expected = example_links()
    assert len(expected) > 250  # 273 when this was written: most of the example's evidence is links
    applied = apply_preview(store, preview_upload(store, EXAMPLE.read_bytes(), EXAMPLE.name), by="rina")
    assert applied.counts["bukti_tautan"] == len(expected)
    listed = [row for row in index_rows(package(store)) if row["Jenis"].value == "Tautan"]
    assert len(listed) == len(expected)
    assert {(row["ID"].value, row["Bulan"].value, row["Nama Asli / Tautan"].value) for row in listed} == expected
    assert all(row["Berkas di Paket"].hyperlink.target == row["Nama Asli / Tautan"].value for row in listed)
    assert {row["Status Verifikasi"].value for row in listed} == {"Menunggu verifikasi"}


def test_verifikasi_bukti_shows_a_cell_link_as_an_attachment(tmp_path, monkeypatch):
    from helpers import open_as
    from page_helpers import PENILAI

    monkeypatch.setenv("ZI_DATA_DIR", str(tmp_path / "data"))
    store = new_store()
    upload_rows(store, {("I-3-1", 1): {"status": "Selesai", "bukti": f"SK Tim: {SK}."}})
    app = open_as(PENILAI, "app_pages/verifikasi_bukti.py")
    app.selectbox(key="verifikasi_buka_menunggu").set_value(("I-3-1", 1)).run()
    assert f"Tautan · {SK}" in [text.value for text in app.text]
    assert [button.proto.url for button in app.get("link_button")] == [SK]


def test_perbarui_progres_says_how_many_links_will_be_attached_and_were(tmp_path, monkeypatch):
    from helpers import open_app, upload

    monkeypatch.setenv("ZI_DATA_DIR", str(tmp_path / "data"))
    store = new_store()
    data = fill(export_workbook(store, TEAM, 2), {("I-3-1", 1): {"status": "Selesai", "bukti": f"{SK} {SOP}"},
                                                  ("I-3-1", 2): {"status": "Selesai", "bukti": "mailto:a@b.example"}})
    app = upload(open_app(), "isi.xlsx", data)
    assert "2 tautan akan dilampirkan sebagai bukti (dari kolom Bukti Dukung)." in [i.value for i in app.info]
    warnings = app.dataframe[0].value  # the preview's notes, located
    assert any("Tautan dengan skema mailto: tidak dijadikan lampiran" in str(cell)
               for cell in warnings.to_numpy().ravel())
    next(button for button in app.button if button.label == "Simpan perubahan").click().run()
    assert not app.exception and "2 tautan dilampirkan sebagai bukti." in app.success[0].value
    assert [row[2] for row in links(store)] == [SK, SOP]
