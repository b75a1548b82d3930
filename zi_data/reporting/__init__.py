"""What the pages and files show across a plan: the charts, report tables and the audit trail as a workbook
(reports), review lists, progress without a step in the plan in force (orphans), the roll-up of several offices
(office_rekap) and the public labels of roles.

May import: base, files, plan, store."""
