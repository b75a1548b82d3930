"""When an item-month counts as selesai: the counting rule of a plan year, chosen by an admin.

"bukti" (the default): reported Selesai with evidence (bukti dukung text, or an attached file or link).
"terverifikasi": reported Selesai with evidence that a penilai accepted (see evidence.py).
A setting of the plan year (ledger_settings.py).
"""

from . import audit
from .ledger_settings import put_setting, setting
from ..plan.status import COUNTING_RULES as RULES
from ..base.problems import RefusedValue
DEFAULT_RULE = "bukti"
SETTING = "aturan_hitung"


def counting_rule(store, conn=None) -> str:
    if conn is None:
        with store.reading() as own:
            return counting_rule(store, own)
    value = setting(conn, store.ledger_id, SETTING)
    return value if value in RULES else DEFAULT_RULE


def set_counting_rule(store, rule: str, by: str) -> None:
    """Put `rule` in force for the store's plan year (the caller checks that `by` is an admin); audited."""
    if rule not in RULES:
        raise RefusedValue(f"Aturan hitung {rule!r} tidak dikenal; pilih {' atau '.join(RULES)}.")
    with store.transaction() as conn:
        if counting_rule(store, conn) == rule:
            return
        put_setting(conn, store.ledger_id, SETTING, rule, by)
        audit.record_event(conn, by, "aturan_hitung_diubah", {"aturan": RULES[rule]}, **store.scope)


def rule_label(rule: str) -> str:
    return f"Aturan hitung: {RULES[rule]}"
