"""The base every wing stands on: the one error type for people (problems), months and numbers in Indonesian, the
clock and the offices' time zones, the one cell-text rule (cell_safety, cell_values), text that stays data
(safe_text, link_text), the data directory (paths) and the upload kinds of the history (history).

May import: nothing of zi_data."""
