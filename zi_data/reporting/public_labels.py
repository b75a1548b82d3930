"""What a viewer who is not signed in sees instead of an account name: the role and team.

Account names (often e-mail addresses or personal names) are shown only to signed-in editors and
admins. A viewer of the meeting screen sees "Editor · Tim Pengawasan", "Admin", "Penilai" or "Sistem".
"""

import pandas as pd

from ..store.accounts import SIGN_IN_REFUSALS

SYSTEM_ACTORS = ("sistem", "baris perintah")  # plan_years.SEED_AUTHOR, the command line's CLI_ACTOR
SYSTEM_LABEL = "Sistem"
ADMIN_LABEL = "Admin"
ROLE_LABELS = {"admin": ADMIN_LABEL, "penilai": "Penilai", "viewer": "Pemantau"}  # an editor: "Editor · <team>"
OTHER_LABEL = "Pelapor tanpa akun"  # a name typed in open mode, or an account removed since
ACCOUNT_DETAIL_KEYS = ("akun",)     # audit details that name an account
HIDDEN_LABEL = "(disembunyikan)"    # the actor of a refused sign-in: its label would say whether it is an account


def public_labels(accounts: pd.DataFrame) -> dict[str, str]:
    """Account name (case-folded, as sign-in matches it) -> public label, from `Accounts.list()`."""
    return {str(name).casefold(): ROLE_LABELS.get(role, f"Editor · {team}")
            for name, role, team in zip(accounts["name"], accounts["role"], accounts["team"])}


def public_label(name, labels: dict[str, str]) -> str:
    text = str(name)
    if text.casefold() in labels:
        return labels[text.casefold()]
    return SYSTEM_LABEL if text.strip().casefold() in SYSTEM_ACTORS else OTHER_LABEL


def public_uploads(uploads: pd.DataFrame, labels: dict[str, str]) -> pd.DataFrame:
    """`store.uploads()` with each uploader replaced by their public label."""
    return uploads.assign(uploaded_by=uploads["uploaded_by"].map(lambda name: public_label(name, labels)))


def public_audit_events(events: pd.DataFrame, labels: dict[str, str]) -> pd.DataFrame:
    """`audit_events()` with each actor, and each account named in the details, replaced by its label;
    the actor of a refused sign-in hidden altogether."""
    def details(entry: dict) -> dict:
        return {key: public_label(value, labels) if key in ACCOUNT_DETAIL_KEYS else value
                for key, value in entry.items()}

    actors = [HIDDEN_LABEL if action in SIGN_IN_REFUSALS else public_label(name, labels)
              for name, action in zip(events["actor"], events["action"])]
    return events.assign(actor=pd.Series(actors, index=events.index, dtype=object),
                         details=events["details"].map(details))
