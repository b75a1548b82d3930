"""Who is using the dashboard: the sign-in panel, the Editor who may write, the notice for viewers."""

from dataclasses import dataclass

import streamlit as st

from app_pages.frame.session import cookie_refused, cookie_session, database, oidc_configured, return_path, signed_in_user
from app_pages.frame.sign_in_routes import FINISH_PATH, RETURN_FIELD, SIGN_OUT_PATH, TICKET_FIELD, post_form
from app_pages.frame.view import ROLLUP, chosen_office, progress_store, visible_ledgers
from zi_data.store.accounts import AccountError, Accounts, User
from zi_data.base.safe_text import markdown_text
from zi_data.store.sign_in_sessions import SignInSessions

NAME_KEY, PASSWORD_KEY, SIGN_IN_ERROR_KEY = "masuk_nama", "masuk_sandi", "masuk_galat"
VERIFIED_KEY = "masuk_terverifikasi"  # the User just authenticated, for one run: not a secret
SESSION_ENDED = "Sesi Anda telah berakhir atau dicabut; silakan masuk lagi."
CONTINUE_HELP = "Kata sandi benar. Tekan **Lanjutkan** dalam satu menit agar peramban ini tetap masuk."
REPORTER_KEY = "pelapor"
SIGN_IN_HEADING = "Masuk (editor, penilai, admin, pemantau)"
FIRST_ACCOUNT_HELP = ("Belum ada akun, jadi siapa pun dapat mengunggah (mode terbuka). Untuk membatasi "
                      "perubahan, admin membuat akun pertama, lalu akun editor per tim, di server:")
# Shown as a code block, not inside the caption: the caption's 60 % opacity would fade them below 4.5:1.
FIRST_ACCOUNT_COMMANDS = ("python -m zi_data user add NAMA --role admin\n"
                          "python -m zi_data user add NAMA --role editor --team \"NAMA TIM\"\n"
                          "python -m zi_data user add NAMA --role penilai")


@dataclass(frozen=True)
class Editor:
    """Who may write from this session: a signed-in user, or anyone when no account exists yet (open mode)."""

    name: str
    user: User | None

    @property
    def open_mode(self) -> bool:
        """No account exists yet: the writer types the name recorded with the change."""
        return self.user is None

    @property
    def team(self) -> str | None:
        """The one team whose rows this editor may change; None when they may change every team's."""
        return self.user.team if self.user is not None and not self.user.is_admin else None

    @property
    def may_revise_plan(self) -> bool:
        """Only an admin may apply a workbook's Rencana Aksi sheet as a new plan version."""
        return self.user is not None and self.user.is_admin

    @property
    def may_undo_any(self) -> bool:
        """An admin, and anyone in open mode, may undo any upload; an editor only some (see undo_rules)."""
        return self.team is None


def accounts() -> Accounts:
    """Every account, whatever office is shown; a sign-in attempt is audited in the office shown (a visitor's:
    the home office), under the roll-up in the signed-in account's."""
    office = chosen_office(visible_ledgers())
    return Accounts(database(), office=signed_in_user().office if office == ROLLUP else office)


def sign_in_panel() -> None:
    """Sign-in for every account (editor, penilai, admin, viewer), in the sidebar; a visitor needs none."""
    with st.sidebar:
        st.divider()
        if not accounts().any():
            st.caption(FIRST_ACCOUNT_HELP)
            st.code(FIRST_ACCOUNT_COMMANDS, language=None, wrap_lines=True)
            return
        user = signed_in_user()
        if user is not None:
            st.markdown(f"Masuk sebagai **{markdown_text(user.label)}**")
            _sign_out_control()
            return
        if verified := st.session_state.pop(VERIFIED_KEY, None):
            _continue_sign_in(verified)
            return
        if cookie_refused():
            st.info(SESSION_ENDED, icon=":material/schedule:")
        if oidc_configured():
            st.button("Masuk dengan akun kantor", icon=":material/login:", on_click=st.login)
        with st.form("masuk", border=False):
            st.markdown(f"**{SIGN_IN_HEADING}**")
            st.text_input("Nama akun", key=NAME_KEY)
            st.text_input("Kata sandi", type="password", key=PASSWORD_KEY)
            st.form_submit_button("Masuk", icon=":material/login:", on_click=_sign_in)
        if message := st.session_state.pop(SIGN_IN_ERROR_KEY, None):
            st.error(message)


def _sign_out_control() -> None:
    """Keluar: for a cookie session a form posting to the sign-out route (the session is revoked in the
    database, so every tab using it is a visitor on its next run, and the cookie is cleared); for OIDC,
    st.logout."""
    session = cookie_session()
    if session is not None and session.user is not None:
        st.html(post_form(SIGN_OUT_PATH, "Keluar", {RETURN_FIELD: return_path()}))
    elif st.button("Keluar", icon=":material/logout:", key="keluar"):
        st.logout()
        st.rerun()


def _continue_sign_in(user: User) -> None:
    """The one-use ticket of a sign-in just verified, in a form the browser posts to the route that sets the
    session cookie and brings it back to this page."""
    ticket = SignInSessions(database()).create_ticket(user)
    st.success(CONTINUE_HELP, icon=":material/check_circle:")
    st.html(post_form(FINISH_PATH, "Lanjutkan", {TICKET_FIELD: ticket, RETURN_FIELD: return_path()}, primary=True))


def _sign_in() -> None:
    """The sign-in form's callback: runs before the page, so the ticket form is shown on this very run.

    The password is read once and then emptied in the session state, whether the attempt succeeded or not.
    """
    password = st.session_state.get(PASSWORD_KEY) or ""
    st.session_state[PASSWORD_KEY] = ""
    try:
        st.session_state[VERIFIED_KEY] = accounts().authenticate(st.session_state.get(NAME_KEY) or "", password)
    except AccountError as error:
        st.session_state[SIGN_IN_ERROR_KEY] = str(error)


def current_editor() -> Editor | None:
    """Who may write here, or None for a viewer (accounts exist and nobody signed in).

    In open mode the name is what was typed in reporter_name_input.
    """
    if accounts().any():
        user = signed_in_user()
        return Editor(user.name, user) if user and user.may_write_in(progress_store().office) else None
    return Editor(str(st.session_state.get(REPORTER_KEY) or "").strip(), None)


def reporter_name_input() -> None:
    """In open mode: where the writer types the name recorded with their change."""
    st.text_input("Nama Anda (dicatat sebagai pelapor)", key=REPORTER_KEY, max_chars=80,
                  placeholder="mis. Ketua Tim Pengawasan")


def viewer_notice() -> None:
    user = signed_in_user()
    if user is not None and user.role == "penilai":
        st.info(f"Akun {markdown_text(user.label)} memeriksa bukti di halaman **Verifikasi Bukti**; progres dan "
                "rencana diubah oleh editor atau admin kantornya sendiri.", icon=":material/lock:")
        return
    if user is not None:
        st.info(f"Akun {markdown_text(user.label)} hanya dapat melihat data kantor ini; perubahan dilakukan oleh editor atau admin "
                "kantornya sendiri.", icon=":material/lock:")
        return
    st.info("Anda melihat sebagai pengunjung. Masuk sebagai editor (ketua tim) atau admin di panel samping "
            "untuk mengunggah atau membatalkan perubahan.", icon=":material/lock:")
