"""ZI Monitor: the entry point (`streamlit run dashboard.py`).

Run by Streamlit as the page script (`__main__`), it draws the navigation and the chosen page. Imported as a
module — `streamlit run` finds the `st.App` below and serves it with uvicorn, as would any ASGI server
(`uvicorn dashboard:app`) — it is the server: the app plus the routes that set and clear the sign-in cookie
(app_pages/frame/sign_in_routes.py).
"""

from pathlib import Path

import streamlit as st

if __name__ == "__main__":
    from app_pages.frame.refusals import show_refusal
    from app_pages.frame.registry import PAGES, PROJECTOR_PAGES
    from zi_data.base.problems import Refusal
    from app_pages.frame.view import projector_on, sees_several_offices, visible_ledgers

    # Projector mode starts with the sidebar collapsed: the charts get the whole width of the screen. (Once the
    # sidebar has been opened or closed by hand, Streamlit keeps that choice in the browser instead.)
    # The favicon is served by the app itself: a :material/…: icon would be fetched from fonts.gstatic.com, and
    # the meeting screen makes no request to another host.
    st.set_page_config(page_title="ZI Monitor", page_icon=Path(__file__).parent / "assets" / "favicon.png",
                       layout="wide", initial_sidebar_state="collapsed" if projector_on() else "auto")

    several_offices = sees_several_offices(visible_ledgers())
    sections: dict[str, list[st.Page]] = {}
    for entry in PROJECTOR_PAGES if projector_on() else PAGES:
        if entry.several_offices and not several_offices:
            continue
        sections.setdefault(entry.section, []).append(
            st.Page(entry.file, title=entry.title, icon=entry.icon, url_path=entry.url_path or None,
                    default=not entry.url_path))
    try:
        st.navigation(sections).run()
    except Refusal as error:  # one a page did not catch where it acted: said in Indonesian, never a traceback
        show_refusal(error)
else:
    from app_pages.frame.session import database
    from app_pages.frame.sign_in_routes import routes

    app = st.App(__file__, routes=routes(database))
