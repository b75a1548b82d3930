"""Updating progress (realisasi): the workbook a team downloads (export, layout), reading it back (upload, checks,
preview, evidence inside it), applying it (import), undoing it (undo_rules), and one item-month updated in the
browser.

May import: base, files, plan, store, reporting, evidence."""
