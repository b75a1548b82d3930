"""The plan (rencana aksi) as the source document says it: reading the plan workbook (cells, layout, rows, info),
writing it back (plan_workbook), the changes between two versions, queries over a plan, and the status rules of an
item-month (status).

May import: base, files."""
