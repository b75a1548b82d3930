"""What the pages and files show across a plan: the charts, report tables, review lists, the roll-up of several offices (office_rekap) and the public labels of roles.

May import: base, files, plan, store."""
