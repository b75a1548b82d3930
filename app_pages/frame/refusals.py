"""The one way a page shows a refusal (zi_data.base.problems.Refusal): its Indonesian message in st.error.

The message is ours, but it may quote what a person typed or uploaded (a link, a file name, a team): every
part goes through markdown_text, so it stays text. An InputError shows each of its problems as a paragraph."""

import streamlit as st

from zi_data.base.problems import InputError, Refusal
from zi_data.base.safe_text import markdown_text

ERROR_ICON = ":material/error:"


def refusal_text(error: Refusal, lead: str = "") -> str:
    """The message as safe markdown: `lead` (ours, already markdown) first, then each problem or the message."""
    parts = error.problems if isinstance(error, InputError) else [error]
    return "\n\n".join([lead] * bool(lead) + [markdown_text(part) for part in parts])


def show_refusal(error: Refusal, lead: str = "") -> None:
    """st.error of the refusal (see refusal_text)."""
    st.error(refusal_text(error, lead), icon=ERROR_ICON)
