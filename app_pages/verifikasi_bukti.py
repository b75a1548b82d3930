import pandas as pd
import streamlit as st

from app_pages.frame.auth import accounts
from app_pages.frame.chrome import all_columns_toggle, show_table, start_page
from app_pages.parts.evidence_preview import name_shown, show_attachment
from app_pages.frame.session import signed_in_user
from app_pages.frame.tables import shown_table
from app_pages.frame.view import View, progress_store, review_lists, view_data
from app_pages.frame.refusals import show_refusal
from zi_data.evidence import evidence
from zi_data.base.clock import moment_text
from zi_data.store.counting_rule import RULES, set_counting_rule
from zi_data.evidence.evidence_view import attachment_table, item_month_attachments
from zi_data.base.months import month_name
from zi_data.base.problems import Refusal
from zi_data.reporting.review_lists import REVIEW_STATES, review_table
from zi_data.base.safe_text import markdown_text

STATE_KEY, ITEM_KEY, FLASH_KEY = "verifikasi_daftar", "verifikasi_buka", "verifikasi_pesan"
SHOWN_KEY = "verifikasi_terlihat"  # (ID, month, evidence_key) as the previous run showed it
DECISION_KEY, NOTE_KEY, RULE_KEY = "verifikasi_keputusan", "verifikasi_catatan", "aturan_hitung"
ROUND_KEY = "verifikasi_putaran"  # moves on with every saved decision: the form's keys (decision_keys) start anew
ACCOUNT_COMMAND = "python -m zi_data user add NAMA --role penilai"


def chosen_list(lists: dict[str, pd.DataFrame]) -> str:
    labels = {state: f"{evidence.REVIEW_LABELS[state]} ({len(lists[state])})" for state in REVIEW_STATES}
    return st.radio("Daftar", REVIEW_STATES, format_func=labels.get, horizontal=True, key=STATE_KEY,
                    help="Antrean penilai: bukti yang menunggu verifikasi, paling lama menunggu di atas.")


def chosen_item(items: pd.DataFrame, state: str) -> pd.Series | None:
    """The item-month opened from the list (the first by default)."""
    keys = list(zip(items["id"], items["month"].astype(int)))
    rows = {key: row for key, row in zip(keys, items.itertuples(index=False))}
    choice = st.selectbox("Buka bulan-kegiatan", keys, key=f"{ITEM_KEY}_{state}",
                          format_func=lambda key: f"{key[0]} · {month_name(key[1])} · {rows[key].langkah_aksi[:70]}")
    return None if choice is None else items.iloc[keys.index(choice)]


def item_details(view: View, item: pd.Series, shown_name) -> str:
    """The plan's texts beside what was reported and attached, so the two can be compared; returns what was
    shown (its evidence.evidence_key)."""
    store = progress_store()
    versions = item_month_attachments(view_data(view, "attachment_versions",
                                                lambda: evidence.attachments(store, current_only=False)),
                                      item["id"], int(item["month"]))
    files = versions[versions["current"]]
    left, right = st.columns(2)
    with left:
        st.subheader("Yang diminta rencana aksi")
        for label, column in (("Langkah aksi", "langkah_aksi"), ("Bukti fisik", "bukti_fisik"),
                              ("Penanggung jawab", "penanggung_jawab")):
            st.text(f"{label}: {item[column]}")
        st.subheader("Yang dilaporkan")
        st.text(f"Status: {item['status'] or '(belum dilaporkan)'}")
        st.text(f"Bukti dukung: {item['bukti_dukung'] or '(kosong)'}")
        if item["review_state"] != "menunggu":
            st.text(f"{evidence.REVIEW_LABELS[item['review_state']]} oleh {shown_name(item['reviewed_by'])} "
                    f"pada {moment_text(item['reviewed_at'], view.zone)}: {item['review_note'] or '(tanpa catatan)'}")
    with right:
        st.subheader("Berkas bukti")
        if files.empty:
            st.text("Tidak ada berkas atau tautan; bukti dukung hanya berupa teks di kiri.")
        else:
            shown_table(attachment_table(versions, shown_name, zone=view.zone))
            for row in files.itertuples(index=False):
                show_attachment(store, row)
    return evidence.evidence_key(files["evidence_id"], item["bukti_dukung"])


def decision_keys(item: pd.Series) -> tuple[str, str]:
    """The form's widget keys, one pair per item-month and save round: what is typed for one item-month is never
    shown (or saved) for another, and a saved decision's form starts empty (the round moves on)."""
    suffix = f"{st.session_state.get(ROUND_KEY, 0)}_{item['id']}_{int(item['month'])}"
    return f"{DECISION_KEY}_{suffix}", f"{NOTE_KEY}_{suffix}"


def decision_form(item: pd.Series, user, seen_before: tuple | None) -> None:
    """Diterima or Perlu perbaikan, with a note (required when sent back), recorded through evidence.review.

    A refused decision keeps what was entered. It is refused when the item-month the run before the click showed
    (`seen_before`: ID, month, evidence_key) is not this one, or its evidence changed since."""
    decision_key, note_key = decision_keys(item)
    with st.form("keputusan_verifikasi"):
        decision = st.radio("Keputusan", list(evidence.DECISIONS), format_func=evidence.DECISIONS.get,
                            horizontal=True, key=decision_key)
        note = st.text_area("Catatan penilai", key=note_key, max_chars=2000,
                            help="Wajib untuk 'Perlu perbaikan': tulis apa yang harus diperbaiki dan mengapa.")
        if not st.form_submit_button("Simpan keputusan", type="primary", icon=":material/gavel:"):
            return
    item_id, month = str(item["id"]), int(item["month"])
    if seen_before is None or tuple(seen_before[:2]) != (item_id, month):
        st.error(f"Bulan-kegiatan yang ditampilkan berganti menjadi {markdown_text(item_id)} {month_name(month)} "
                 "sebelum keputusan disimpan; keputusan tidak disimpan. Periksa bukti yang kini ditampilkan, lalu "
                 "putuskan lagi.",
                 icon=":material/error:")
        return
    if decision == "perlu_perbaikan" and not note.strip():
        st.error("Tulis catatan: apa yang harus diperbaiki dan mengapa.", icon=":material/error:")
        return
    try:
        evidence.review(progress_store(), item_id, month, decision, note.strip(), user.name,
                        expected_key=seen_before[2])
    except Refusal as error:
        show_refusal(error)
        return
    st.session_state[ROUND_KEY] = st.session_state.get(ROUND_KEY, 0) + 1
    st.session_state[FLASH_KEY] = (f"Keputusan tersimpan: {markdown_text(item_id)} {month_name(month)} · "
                                   f"{evidence.DECISIONS[decision]}.")
    st.rerun()


def reviewer_notice(user) -> None:
    """Why this session sees no decision form."""
    if not accounts().any():
        st.info("Belum ada akun. Keputusan verifikasi diberikan oleh penilai (Tim Penilai Internal) atau admin "
                "kantor ini; buat akun penilai di server:", icon=":material/lock:")
        st.code(ACCOUNT_COMMAND, language=None)
    elif user is None:
        st.info("Masuk sebagai penilai atau admin kantor ini di panel samping untuk memberi keputusan.",
                icon=":material/lock:")
    else:
        st.info("Hanya penilai (Tim Penilai Internal) atau admin kantor ini yang dapat memberi keputusan; akun Anda "
                "dapat melihat antrean dan berkasnya.", icon=":material/lock:")


def rule_section(view: View, user) -> None:
    """The counting rule in force; for the office's admin, the switch."""
    st.header("Aturan hitung capaian")
    st.write(f"Yang berlaku: **{RULES[view.counting_rule]}**. Di setiap halaman dan ekspor aturan ini disebutkan.")
    store = progress_store()
    if user is None or not (user.is_admin and user.may_write_in(store.office)):
        st.caption("Hanya admin kantor ini yang dapat mengubah aturan hitung.")
        return
    choice = st.radio("Bulan-kegiatan dihitung selesai bila dilaporkan", list(RULES), format_func=RULES.get,
                      index=list(RULES).index(view.counting_rule), key=RULE_KEY)
    if st.button("Terapkan aturan hitung", icon=":material/rule:", disabled=choice == view.counting_rule):
        set_counting_rule(store, choice, user.name)
        st.session_state[FLASH_KEY] = f"Aturan hitung kini: {RULES[choice]}."
        st.rerun()


view = start_page("Verifikasi Bukti")
user = signed_in_user()
if flash := st.session_state.pop(FLASH_KEY, None):
    st.success(flash, icon=":material/check_circle:")
st.caption("Penilai (Tim Penilai Internal) memeriksa bukti setiap bulan-kegiatan: berkas dan tautan dibandingkan "
           "dengan bukti fisik yang diminta rencana aksi. Filter tim dan area di panel samping berlaku di sini.")
lists = review_lists(view, REVIEW_STATES)
state = chosen_list(lists)
items = lists[state]
if items.empty:
    st.info(f"Tidak ada bulan-kegiatan dengan status {evidence.REVIEW_LABELS[state].lower()} untuk filter ini.",
            icon=":material/inbox:")
else:
    show_table(review_table(items, state, view.zone, all_columns_toggle(view)), view)
    item = chosen_item(items, state)
    if item is not None:
        seen_before = st.session_state.get(SHOWN_KEY)
        shown = (item["id"], int(item["month"]), item_details(view, item, name_shown(user)))
        st.session_state[SHOWN_KEY] = shown
        if user is not None and user.may_review_in(progress_store().office):
            decision_form(item, user, seen_before)
        else:
            reviewer_notice(user)
rule_section(view, user)
