"""The one owner of the database and what is kept in it: the Database (SQLite or PostgreSQL, the write lock,
snapshots), plan years (ledgers) and their settings and counting rule, the progress log and its rows, the plan's
version history, starting a new year, offices and the bundled/example offices, accounts and sign-in sessions, the
audit trail and the roll-up counts. Its schema is in store/schema/.

May import: base, files, plan."""
