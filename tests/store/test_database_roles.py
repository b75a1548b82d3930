"""PostgreSQL's two roles (zi_data/store/schema/database_roles.py), built with the SQL of docs/operations.md: the owner upgrades the
schema; the runtime role the app logs in as is refused every way of rewriting history, and the app still works
end to end as that role."""

import re
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest

from app_pages.frame.registry import PAGES
from helpers import new_store, open_app, open_fresh_at_once, plan_workbook, run_cli, sign_in, signed_in_user, stored_rows
from realisasi_helpers import ROOT, fill
from zi_data.store import counting_rule, database
from zi_data.evidence import evidence
from zi_data.monev import monev
from zi_data.store.accounts import AccountError, Accounts
from zi_data.store.schema.database_roles import KEPT_CURRENT, OWNER_URL_VARIABLE
from zi_data.store.progress_store import ProgressStore
from zi_data.realisasi.realisasi_export import export_workbook
from zi_data.store.sign_in_sessions import SignInSessions

PASSWORD = "kata-sandi-rahasia"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def readme_sql() -> tuple[str, str]:
    """The role SQL of docs/operations.md, split at its `\\connect`: what runs on the server, what runs in the new database."""
    section = (ROOT / "docs" / "operations.md").read_text().split("### PostgreSQL roles", 1)[1]
    sql = re.search(r"```sql\n(.*?)```", section, re.S).group(1)
    before, after = re.split(r"^\\connect \w+\n", sql, flags=re.M)
    return before, after


def as_role(server_url: str, role: str, database_name: str) -> str:
    parts = urlsplit(server_url)
    return parts._replace(netloc=f"{role}@{parts.netloc.split('@', 1)[1]}", path=f"/{database_name}").geturl()


@pytest.fixture
def roles(postgres_server_url, monkeypatch):
    """The roles of docs/operations.md and database under unique names; $ZI_DATABASE_URL is the runtime role's."""
    suffix = uuid.uuid4().hex[:10]
    names = {"zi_owner": f"zi_owner_{suffix}", "zi_app": f"zi_app_{suffix}", "zi_monitor": f"zi_monitor_{suffix}"}

    def named(sql: str) -> str:
        return re.sub(r"\b(zi_owner|zi_app|zi_monitor)\b", lambda match: names[match.group(1)], sql)

    on_server, in_database = readme_sql()
    with psycopg.connect(postgres_server_url, autocommit=True) as conn:
        for statement in named(on_server).split(";\n"):
            conn.execute(statement)
    with psycopg.connect(as_role(postgres_server_url, "zi", names["zi_monitor"]), autocommit=True) as conn:
        for statement in named(in_database).split(";\n"):
            if statement.strip():
                conn.execute(statement)
    urls = {"owner": as_role(postgres_server_url, names["zi_owner"], names["zi_monitor"]),
            "runtime": as_role(postgres_server_url, names["zi_app"], names["zi_monitor"]),
            "runtime_role": names["zi_app"], "owner_role": names["zi_owner"]}
    monkeypatch.setenv("ZI_DATABASE_URL", urls["runtime"])
    monkeypatch.delenv(OWNER_URL_VARIABLE, raising=False)
    yield urls
    with psycopg.connect(postgres_server_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{names["zi_monitor"]}" WITH (FORCE)')
        conn.execute(f'DROP ROLE IF EXISTS "{names["zi_app"]}"')
        conn.execute(f'DROP ROLE IF EXISTS "{names["zi_owner"]}"')


def upgraded(roles, monkeypatch, tmp_path) -> Path:
    with monkeypatch.context() as patch:
        patch.setenv(OWNER_URL_VARIABLE, roles["owner"])
        done = run_cli("db", "upgrade", "--data-dir", tmp_path / "data", check_returncode=0).stdout
    assert f"revisi {database.HEAD}" in done and f"Hak peran runtime {roles['runtime_role']} " in done
    return tmp_path / "data"


def test_an_upgrade_by_the_runtime_role_itself_claims_no_grant(roles, monkeypatch, tmp_path):
    upgraded(roles, monkeypatch, tmp_path)
    monkeypatch.setenv(OWNER_URL_VARIABLE, roles["owner"])
    monkeypatch.setenv("ZI_DATABASE_URL", roles["owner"])  # one role for both, as a small server may run
    done = run_cli("db", "upgrade", "--data-dir", tmp_path / "data", check_returncode=0).stdout
    assert f"revisi {database.HEAD}" in done and "Hak peran runtime" not in done


def history_tables(conn) -> list[str]:
    return [name for (name,) in conn.execute(
        "SELECT DISTINCT event_object_table FROM information_schema.triggers WHERE action_statement "
        "LIKE '%zi_refuse_change%' ORDER BY 1")]


def attacks(table: str) -> list[str]:
    return [f"ALTER TABLE {table} DISABLE TRIGGER USER", f"ALTER TABLE {table} DISABLE TRIGGER ALL",
            f"DROP TRIGGER {table}_no_change ON {table}", f"DROP TRIGGER {table}_no_truncate ON {table}",
            f"ALTER TABLE {table} RENAME TO {table}_lama", f"ALTER TABLE {table} OWNER TO CURRENT_USER",
            f"UPDATE {table} SET ledger_id = ledger_id" if table != "ledgers" else "UPDATE ledgers SET year = year",
            f"DELETE FROM {table}", f"TRUNCATE {table}", f"DROP TABLE {table} CASCADE",
            f"CREATE TRIGGER zi_lolos BEFORE INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION zi_refuse_change()"]


EVERYWHERE = ["CREATE OR REPLACE FUNCTION zi_refuse_change() RETURNS trigger LANGUAGE plpgsql AS "
              "$$ BEGIN RETURN NEW; END $$",
              "DROP FUNCTION zi_refuse_change() CASCADE", "ALTER FUNCTION zi_refuse_change() OWNER TO CURRENT_USER",
              "CREATE TABLE zi_baru (x int)", "CREATE FUNCTION zi_baru() RETURNS int LANGUAGE sql AS 'SELECT 1'",
              "CREATE SCHEMA zi_lain", "ALTER SCHEMA public OWNER TO CURRENT_USER"]


def refused(conn, statement: str) -> str:
    """The error PostgreSQL answers `statement` with (rolled back); fails the test if it succeeds."""
    try:
        with conn.transaction():
            conn.execute(statement)
    except psycopg.errors.InsufficientPrivilege as error:
        return str(error)
    pytest.fail(f"the runtime role could run: {statement}")


def test_the_runtime_role_is_refused_every_way_of_rewriting_history(roles, monkeypatch, tmp_path):
    new_store(upgraded(roles, monkeypatch, tmp_path))  # seeded as the runtime role: history has rows
    with psycopg.connect(roles["runtime"]) as conn:
        tables = history_tables(conn)
        assert {"entries", "audit_log", "uploads", "evidence", "evidence_reviews", "plan_items", "ledgers",
                "monev_meetings", "follow_ups", "follow_up_closures", "ledger_settings", "rollup_counts"} <= set(tables)
        for table in tables:
            for statement in attacks(table):
                message = refused(conn, statement)
                assert "permission denied" in message or "must be owner" in message, (statement, message)
        for statement in EVERYWHERE:
            assert re.search(r"permission denied|must be owner", refused(conn, statement)), statement
        for table in KEPT_CURRENT:
            for statement in (f"TRUNCATE {table}", f"ALTER TABLE {table} RENAME TO x", f"DROP TABLE {table}"):
                refused(conn, statement)
        owners = dict(conn.execute("SELECT tablename, tableowner FROM pg_tables WHERE schemaname = 'public'"))
    assert set(owners.values()) == {roles["owner_role"]} and len(owners) == len(tables) + len(KEPT_CURRENT)


def test_the_runtime_role_alone_cannot_make_the_schema_and_says_what_to_run(roles, monkeypatch, tmp_path):
    failed = run_cli("status", "--data-dir", tmp_path / "data", check_returncode=1)
    assert "db upgrade" in failed.stderr and OWNER_URL_VARIABLE in failed.stderr
    assert "Traceback" not in failed.stderr and failed.stdout == ""
    monkeypatch.setenv("ZI_DATA_DIR", str(tmp_path / "data"))
    app = open_app()  # the dashboard says the same, and stops there
    assert not app.exception and "db upgrade" in app.error[0].value and not app.metric
    with psycopg.connect(roles["runtime"]) as conn:
        assert conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()[0] == 0


def test_a_replica_with_the_owner_url_migrates_at_first_start_and_grants_the_runtime_role(roles, monkeypatch,
                                                                                          tmp_path):
    monkeypatch.setenv(OWNER_URL_VARIABLE, roles["owner"])
    store = new_store(tmp_path / "data")
    assert store.database.revision() == database.HEAD and len(store.plan()) > 0
    with psycopg.connect(roles["runtime"]) as conn:
        assert "permission denied" in refused(conn, "DELETE FROM entries")


def test_replicas_with_the_owner_url_starting_at_once_migrate_once(roles, monkeypatch, tmp_path):
    monkeypatch.setenv(OWNER_URL_VARIABLE, roles["owner"])  # the children inherit the environment
    assert open_fresh_at_once(tmp_path / "data", 3) == [0, 0, 0]
    store = ProgressStore(tmp_path / "data")
    rows = stored_rows(store)
    assert rows["alembic_version"] == [(database.HEAD,)] and len(rows["plan_versions"]) == 1
    assert len(rows["ledgers"]) == 1
    with psycopg.connect(roles["runtime"]) as conn:
        assert "permission denied" in refused(conn, "DELETE FROM entries")


def test_the_app_works_end_to_end_as_the_runtime_role(roles, monkeypatch, tmp_path):
    data_dir = upgraded(roles, monkeypatch, tmp_path)
    store = new_store(data_dir)
    team = store.plan()["penanggung_jawab"].iloc[0]
    item = store.plan()["id"].iloc[0]
    month = store.plan()["months"].iloc[0][0]
    workbook = tmp_path / "realisasi.xlsx"
    workbook.write_bytes(fill(export_workbook(store, team=team), {(item, month): {"status": "Selesai",
                                                                                  "bukti": "SK tim"}}))
    run_cli("import", workbook, "--yes", "--by", "uji", "--data-dir", data_dir, check_returncode=0)
    run_cli("undo", "1", "--data-dir", data_dir, check_returncode=0)
    run_cli("import", workbook, "--yes", "--by", "uji", "--data-dir", data_dir, check_returncode=0)
    next_year = tmp_path / "rencana_2026.xlsx"
    next_year.write_bytes(plan_workbook(2026))
    run_cli("plan", "add", next_year, "--yes", "--data-dir", data_dir, check_returncode=0)
    run_cli("office", "add", "6299", "KPU Kabupaten Contoh", "--induk", "62", "--data-dir", data_dir,
            check_returncode=0)
    run_cli("office", "add", "6299", "KPU Kabupaten Contoh (baru)", "--induk", "62", "--data-dir", data_dir,
            check_returncode=0)
    store = ProgressStore(data_dir, year=2025)

    accounts = Accounts(store)
    accounts.add("admin", "admin", "", PASSWORD, "uji")
    accounts.add("rina", "editor", team, PASSWORD, "uji")
    accounts.add("penilai", "penilai", "", PASSWORD, "uji")
    now = datetime.now(timezone.utc)
    with pytest.raises(AccountError):
        accounts.authenticate("rina", "salah-sandi-sekali", now=now)  # a failure is counted (upsert)
    user = accounts.authenticate("rina", PASSWORD, now=now + timedelta(minutes=10))  # and forgotten
    sessions = SignInSessions(store)
    opened = sessions.redeem_ticket(sessions.create_ticket(user, now=now), "uji", now=now)
    assert sessions.resolve(opened.token, now=now + timedelta(hours=1)).user is not None  # last seen moves on
    assert sessions.revoke(opened.token, now=now + timedelta(hours=1))
    accounts.set_password("rina", "kata-sandi-baru-sekali", by="admin")

    evidence.attach_file(store, item, month, "sk.pdf", PDF, "rina")
    evidence.attach_link(store, item, month, "https://contoh.go.id/sk", "rina")
    evidence.review(store, item, month, "diterima", "", "penilai")
    counting_rule.set_counting_rule(store, list(counting_rule.RULES)[-1], "admin")
    meeting = monev.record_meeting(store, held_on=date(2025, 7, 3), kind="triwulan", chair="Ketua", participants="Tim",
                                   participant_count=5, as_of_month=6, notes="", by="admin")
    follow_up = monev.add_follow_up(store, action="Lengkapi SK", team=team, due_on=date(2025, 7, 31),
                                    item_id=item, by="admin", meeting_id=meeting)
    monev.close_follow_up(store, follow_up, "Selesai", accounts.authenticate("admin", PASSWORD, now=now))
    accounts.remove("penilai", by="admin")
    run_cli("evidence", "gc", "--data-dir", data_dir, check_returncode=0)

    rows = stored_rows(store)
    assert len(rows["evidence"]) == 2 and len(rows["evidence_reviews"]) == 1 and len(rows["follow_up_closures"]) == 1
    assert len(rows["uploads"]) == 3 and len(rows["plan_versions"]) == 2 and {name for name, *_ in rows["accounts"]} >= {"admin", "rina"}
    assert ("6299", "KPU Kabupaten Contoh (baru)") in {(code, name) for code, name, *_ in rows["offices"]}


def test_every_page_opens_for_a_signed_in_admin_as_the_runtime_role(roles, monkeypatch, tmp_path):
    data_dir = upgraded(roles, monkeypatch, tmp_path)
    monkeypatch.setenv("ZI_DATA_DIR", str(data_dir))
    run_cli("office", "example", "--data-dir", data_dir, check_returncode=0)
    Accounts(ProgressStore(data_dir), office="6203").add("admin.kapuas", "admin", "", PASSWORD, "uji")
    app = sign_in(open_app(), "admin.kapuas", PASSWORD)  # the sign-in route writes the session as the runtime role
    assert signed_in_user(app).name == "admin.kapuas"
    for page in [page for page in PAGES if page.title != "Rekap Instansi"]:  # the pages of one office
        app.switch_page(page.file).run()
        assert not app.exception and not app.error, (page.title, app.exception, app.error)
        assert app.title[0].value == page.title
