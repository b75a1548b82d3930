"""The monev meeting: meetings and follow-ups with their frozen snapshot, the tables the room sees, the lembar monev
as PDF (layout, charts, tables, fonts/) and as XLSX, and reminders.

May import: base, files, plan, store, reporting, evidence."""
