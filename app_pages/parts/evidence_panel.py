"""An item-month's evidence on the Matriks page: a team's item-months, the chosen one's report and verdict, its
attachments (every version) with a preview, and for an editor of its team the form to attach files or a link."""

import pandas as pd
import streamlit as st

from app_pages.frame.auth import Editor, current_editor, reporter_name_input
from app_pages.parts.evidence_preview import name_shown, show_attachment
from app_pages.parts.item_month_form import item_month_form
from app_pages.frame.session import signed_in_user
from app_pages.frame.tables import shown_table
from app_pages.frame.view import View, previous_year_outcomes, progress_store
from zi_data.evidence import evidence
from zi_data.base.clock import moment_text
from zi_data.evidence.previous_year import outcome_text
from zi_data.evidence.evidence_view import attach_uploads, attachment_table, item_month_attachments, team_evidence_table
from zi_data.base.months import MONTHS
from zi_data.base.problems import Refusal
from zi_data.base.safe_text import markdown_text
from zi_data.plan.status import STATE_LABELS

ITEM_KEY, MONTH_KEY, TEAM_TABLE_KEY = "rincian_id", "rincian_bulan", "bukti_tim_tabel"
ROUND_KEY, MESSAGES_KEY, REPLACES_KEY, OPEN_FORM_KEY = "lampiran_putaran", "lampiran_pesan", "lampiran_ganti", \
    "lampiran_buka"
NEW_ATTACHMENT = 0  # the "replaces" choice that adds a new attachment


def evidence_section(view: View, states: pd.DataFrame) -> None:
    """The section under the matrix: the team's list (when a team is chosen), then the chosen item-month."""
    if view.plan.empty:
        return
    editor = current_editor()
    st.header("Bukti dukung per bulan-kegiatan")
    teams = view.teams or ((editor.team,) if editor and editor.team in view.all_teams else ())
    if teams:
        team_list(view, states, teams)
    item_id, month = item_month_picker(view)
    item = view.plan[view.plan["id"] == item_id].iloc[0]
    report_details(view, item, month, states)
    versions = item_month_attachments(evidence.attachments(progress_store(), current_only=False), item_id, month)
    attachment_list(versions, view.zone)
    for accepted, message in st.session_state.pop(MESSAGES_KEY, []):
        if accepted:
            st.success(message, icon=":material/check_circle:")
        else:  # a refusal names the file: data, not markdown
            st.error(markdown_text(message), icon=":material/error:")
    if editor is not None and editor.open_mode:
        reporter_name_input()
    item_month_form(view, item_id, month, item["penanggung_jawab"], ask_reporter=False)
    attach_form(item, month, versions, editor)


def team_list(view: View, states: pd.DataFrame, teams: tuple[str, ...]) -> None:
    """The chosen teams' item-months due so far (and later ones with evidence); choosing a row opens it below."""
    table = team_evidence_table(view.classified, states, teams, view.as_of_month)
    st.caption(f"Bulan-kegiatan {markdown_text(', '.join(teams))} sampai {MONTHS[view.as_of_month - 1]}, dan yang "
               "sudah berbukti sesudahnya. Pilih satu baris untuk membuka rinciannya di bawah.")

    def open_row() -> None:
        rows = st.session_state[TEAM_TABLE_KEY].selection.rows
        if rows:
            st.session_state[ITEM_KEY] = table["ID"].iloc[rows[0]]
            st.session_state[MONTH_KEY] = int(table["month"].iloc[rows[0]])

    shown_table(table.drop(columns="month"), key=TEAM_TABLE_KEY,
                 on_select=open_row, selection_mode="single-row")


def open_clicked_cell(chart_key: str) -> None:
    """A matrix cell clicked: its item-month is opened in the section under the matrix."""
    points = st.session_state[chart_key].selection.points
    if points and points[0].get("customdata"):
        item_id, month = points[0]["customdata"]
        st.session_state[ITEM_KEY], st.session_state[MONTH_KEY] = item_id, int(month)


def item_month_picker(view: View) -> tuple[str, int]:
    """Which langkah aksi and month: any of the view's langkah aksi, in a planned or a reported month."""
    labels = dict(zip(view.plan["id"], view.plan["langkah_aksi"]))
    if st.session_state.get(ITEM_KEY) not in labels:
        st.session_state.pop(ITEM_KEY, None)
    left, right = st.columns([3, 1])
    item_id = left.selectbox("Langkah aksi", list(labels), key=ITEM_KEY,
                             format_func=lambda code: f"{code} · {_shorten(labels[code])}")
    rows = view.classified[view.classified["id"] == item_id]
    months = sorted(set(rows["month"]) or {view.as_of_month})
    if st.session_state.get(MONTH_KEY) not in months:
        st.session_state[MONTH_KEY] = min(months, key=lambda month: abs(month - view.as_of_month))
    month = right.selectbox("Bulan", months, key=MONTH_KEY, format_func=lambda month: MONTHS[month - 1])
    return item_id, int(month)


def report_details(view: View, item: pd.Series, month: int, states: pd.DataFrame) -> None:
    rows = view.classified[(view.classified["id"] == item["id"]) & (view.classified["month"] == month)]
    report = rows.iloc[0] if not rows.empty else None
    lines = [f"**{markdown_text(item['id'])} · {MONTHS[month - 1]}** · {markdown_text(item['langkah_aksi'])}",
             f"**Penanggung jawab:** {markdown_text(item['penanggung_jawab'])}",
             f"**Bukti fisik (rencana):** {markdown_text(item['bukti_fisik'])}"]
    if (previous := previous_year_outcomes()) is not None and (
            ended := outcome_text(previous[1], item["id"], previous[0])) is not None:
        lines.append(f"{markdown_text(ended)} (acuan; progres tahun itu tidak terbawa)")
    if report is not None:
        state_label = STATE_LABELS.get(report["state"], report["state"])
        reported = " ".join(str(report["status"]).split()) if pd.notna(report["status"]) else ""
        shown = state_label if reported.casefold() in ("", state_label.casefold()) else \
            f"{state_label} (dilaporkan: {reported})"
        lines += [f"**Status:** {markdown_text(shown)}",
                  f"**Bukti dukung (teks):** {markdown_text(report['bukti_dukung'] or '–')}"]
    st.markdown("  \n".join(lines))
    state = states[(states["item_id"] == item["id"]) & (states["month"] == month)]
    if state.empty or not state["review_state"].iloc[0]:
        return
    review = state.iloc[0]
    label = evidence.REVIEW_LABELS[review["review_state"]]
    if review["review_state"] == "perlu_perbaikan":
        st.warning(f"**{label}** menurut {markdown_text(review['reviewed_by'])}: "
                   f"{markdown_text(review['review_note'])}", icon=":material/rule:")
    elif review["review_state"] == "diterima":
        st.success(f"**{label}** oleh {markdown_text(review['reviewed_by'])}", icon=":material/verified:")
    else:
        st.info(f"**{label}** sejak {markdown_text(moment_text(review['waiting_since'], view.zone))}",
                icon=":material/pending:")


def attachment_list(versions: pd.DataFrame, zone: str) -> None:
    if versions.empty:
        st.write("Belum ada berkas atau tautan bukti untuk bulan-kegiatan ini.")
        return
    shown_table(attachment_table(versions, name_shown(signed_in_user()), zone=zone))
    current = versions[versions["current"]]
    if current.empty:
        return
    names = dict(zip(current["evidence_id"].astype(int), current["file_name"]))
    key = f"lihat_{current['item_id'].iloc[0]}_{int(current['month'].iloc[0])}"
    if st.session_state.get(key) not in names:  # replaced since it was chosen
        st.session_state.pop(key, None)
    chosen = st.selectbox("Lihat lampiran", list(names), key=key,
                          format_func=lambda evidence_id: f"#{evidence_id} {names[evidence_id]}")
    show_attachment(progress_store(), next(current[current["evidence_id"] == chosen].itertuples(index=False)))


def attach_form(item: pd.Series, month: int, versions: pd.DataFrame, editor: Editor | None) -> None:
    """For an editor of the item's team (or an admin) of this office: files or a link, new or replacing one."""
    if editor is None:
        st.info("Hanya ketua tim penanggung jawab atau admin kantor ini yang dapat melampirkan bukti; masuk di panel "
                "samping.", icon=":material/lock:")
        return
    if editor.team is not None and editor.team != item["penanggung_jawab"]:
        st.info(f"Akun Anda hanya dapat melampirkan bukti untuk langkah aksi {markdown_text(editor.team)}.",
                icon=":material/lock:")
        return
    if not st.toggle("Lampirkan atau ganti bukti", key=OPEN_FORM_KEY):
        return
    current = versions[versions["current"]]
    names = dict(zip(current["evidence_id"].astype(int), current["file_name"]))
    if st.session_state.get(REPLACES_KEY) not in (NEW_ATTACHMENT, *names):
        st.session_state.pop(REPLACES_KEY, None)
    replaces = st.selectbox("Lampiran ini", [NEW_ATTACHMENT, *names], key=REPLACES_KEY,
                            format_func=lambda evidence_id: "ditambahkan sebagai bukti baru" if not evidence_id
                            else f"menggantikan #{evidence_id} {names[evidence_id]} (versi lama tetap tersimpan)")
    round_key = st.session_state.get(ROUND_KEY, 0)
    files = st.file_uploader("Berkas bukti (PDF, JPG, PNG, DOCX, XLSX, PPTX)", accept_multiple_files=True,
                             key=f"lampiran_berkas_{round_key}")
    link = st.text_input("atau tautan (http/https)", key=f"lampiran_tautan_{round_key}")
    if st.button("Lampirkan", icon=":material/attach_file:", key="lampirkan", disabled=not (files or link.strip())):
        _attach(item["id"], month, files, link.strip(), editor, replaces or None)


def _attach(item_id: str, month: int, files, link: str, editor: Editor, replaces: int | None) -> None:
    name = editor.name
    if not name:
        st.error("Isi nama Anda dulu: nama itu dicatat bersama lampiran.")
        return
    store = progress_store()
    attached, refusals = attach_uploads(store, item_id, month, [(f.name, f.getvalue()) for f in files or []],
                                        name, replaces)
    link_refused = False
    if link:
        try:
            attached.append(evidence.attach_link(store, item_id, month, link, name,
                                                 replaces=None if files else replaces))
        except Refusal as error:
            refusals.append(str(error))  # it quotes the link
            link_refused = True
    st.session_state[MESSAGES_KEY] = ([(True, f"{len(attached)} lampiran disimpan.")] if attached else []) + [
        (False, refusal) for refusal in refusals]
    if attached:  # the form starts anew (new keys); nothing saved: everything entered stays
        round_key = st.session_state.get(ROUND_KEY, 0) + 1
        st.session_state[ROUND_KEY] = round_key
        if link_refused:  # files saved, the link refused: it stays typed to be corrected
            st.session_state[f"lampiran_tautan_{round_key}"] = link
    st.rerun()


def _shorten(text: str, width: int = 80) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"
