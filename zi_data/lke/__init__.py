"""LKE readiness: the mapping of the plan's komponen to the LKE areas, the readiness estimate and its charts.

May import: base, files, plan, store, reporting, evidence."""
