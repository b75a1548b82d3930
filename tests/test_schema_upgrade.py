"""A database at an earlier Alembic revision is upgraded in place, on each backend, with nothing lost."""

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from zi_data import database as database_module
from zi_data.accounts import Accounts
from zi_data.database import Database

ACCOUNT = {"name_key": "koordinator", "name": "Koordinator", "role": "admin", "team": "", "office": "6203",
           "password_hash": "scrypt$16384$8$1$00$00", "created_at": "2025-01-02T03:04:05+00:00"}


def database_at(revision: str, url: str) -> None:
    engine = sa.create_engine(url)
    config = Config()
    config.set_main_option("script_location", str(database_module.SCHEMA_DIR))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
        conn.execute(sa.text("INSERT INTO offices (code, name, parent, created_at) VALUES "
                             "('6203', 'KPU Kabupaten Kapuas', NULL, '2025-01-01')"))
        conn.execute(sa.text(f"INSERT INTO accounts ({', '.join(ACCOUNT)}) VALUES "
                             f"({', '.join(':' + key for key in ACCOUNT)})"), ACCOUNT)
    engine.dispose()


def test_a_revision_0002_database_gains_evidence_and_the_penilai_role_keeping_its_accounts(tmp_path, database_url):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    url = database_url or f"sqlite:///{data_dir / 'zi_monitor.sqlite3'}"
    database_at("0002", url)
    database = Database(data_dir, database_url)
    assert database.revision() == database_module.HEAD == "0006"
    with database.reading() as conn:
        kept = conn.execute(sa.text(f"SELECT {', '.join(ACCOUNT)} FROM accounts")).mappings().all()
    assert [dict(row) for row in kept] == [ACCOUNT]
    penilai = ACCOUNT | {"name_key": "tpi.sari", "name": "tpi.sari", "role": "penilai"}
    with database.transaction() as conn:  # the role the revision allows (accounts.py's own checks aside)
        conn.execute(sa.text(f"INSERT INTO accounts ({', '.join(penilai)}) VALUES "
                             f"({', '.join(':' + key for key in penilai)})"), penilai)
    assert Accounts(database, "6203").user_named("tpi.sari").role == "penilai"
    unknown = penilai | {"name_key": "raja", "role": "raja"}
    with pytest.raises(sa.exc.IntegrityError), database.transaction() as conn:
        conn.execute(sa.text(f"INSERT INTO accounts ({', '.join(unknown)}) VALUES "
                             f"({', '.join(':' + key for key in unknown)})"), unknown)
    with database.reading() as conn:
        assert sa.inspect(conn).has_table("evidence") and sa.inspect(conn).has_table("evidence_reviews")


def test_a_revision_0003_database_gains_the_monev_tables_keeping_its_accounts(tmp_path, database_url):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    url = database_url or f"sqlite:///{data_dir / 'zi_monitor.sqlite3'}"
    database_at("0003", url)
    database = Database(data_dir, database_url)
    assert database.revision() == database_module.HEAD
    with database.reading() as conn:
        kept = conn.execute(sa.text(f"SELECT {', '.join(ACCOUNT)} FROM accounts")).mappings().all()
        tables = set(sa.inspect(conn).get_table_names())
    assert [dict(row) for row in kept] == [ACCOUNT]
    assert {"monev_meetings", "follow_ups", "follow_up_closures"} <= tables


def test_a_revision_0005_database_gains_the_sign_in_session_tables_keeping_its_accounts(tmp_path, database_url):
    from zi_data.sign_in_sessions import SignInSessions

    data_dir = tmp_path / "data"
    data_dir.mkdir()
    url = database_url or f"sqlite:///{data_dir / 'zi_monitor.sqlite3'}"
    database_at("0005", url)
    database = Database(data_dir, database_url)
    assert database.revision() == database_module.HEAD == "0006"
    with database.reading() as conn:
        kept = conn.execute(sa.text(f"SELECT {', '.join(ACCOUNT)} FROM accounts")).mappings().all()
        tables = set(sa.inspect(conn).get_table_names())
    assert [dict(row) for row in kept] == [ACCOUNT]
    assert {"sign_in_sessions", "sign_in_tickets"} <= tables
    user = Accounts(database, "6203").user_named("koordinator")
    token = SignInSessions(database).create(user, "uji").token
    assert SignInSessions(database).resolve(token).user == user
