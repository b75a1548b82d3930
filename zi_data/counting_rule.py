"""When an item-month counts as selesai: the counting rule of a plan year, chosen by an admin.

"bukti" (the default): reported Selesai with evidence (bukti dukung text or an attached file).
"terverifikasi": reported Selesai with evidence that a penilai accepted (see evidence.py).
Settings are rows of ledger_settings, append-only; the newest row of a name is in force.
"""

import sqlalchemy as sa

from . import audit
from .progress_store import utc_now
from .status import COUNTING_RULES as RULES
DEFAULT_RULE = "bukti"
SETTING = "aturan_hitung"


def counting_rule(store, conn=None) -> str:
    if conn is None:
        with store.reading() as own:
            return counting_rule(store, own)
    value = conn.execute(sa.text("SELECT value FROM ledger_settings WHERE ledger_id = :ledger AND name = :name "
                                 "ORDER BY setting_id DESC LIMIT 1"),
                         {"ledger": store.ledger_id, "name": SETTING}).scalar()
    return value if value in RULES else DEFAULT_RULE


def set_counting_rule(store, rule: str, by: str) -> None:
    """Put `rule` in force for the store's plan year (the caller checks that `by` is an admin); audited."""
    if rule not in RULES:
        raise ValueError(f"Aturan hitung {rule!r} tidak dikenal; pilih {' atau '.join(RULES)}.")
    with store.transaction() as conn:
        if counting_rule(store, conn) == rule:
            return
        conn.execute(sa.text("INSERT INTO ledger_settings (ledger_id, name, value, set_by, set_at) VALUES "
                             "(:ledger, :name, :value, :by, :at)"),
                     {"ledger": store.ledger_id, "name": SETTING, "value": rule, "by": by, "at": utc_now()})
        audit.record_event(conn, by, "aturan_hitung_diubah", {"aturan": RULES[rule]}, **store.scope)


def rule_label(rule: str) -> str:
    return f"Aturan hitung: {RULES[rule]}"
