"""Evidence (bukti dukung) and its verification: attaching files and links to item-months, the penilai's decisions,
the evidence index and package, and what a page shows of it.

May import: base, files, plan, store, reporting."""
