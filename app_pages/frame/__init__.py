"""The frame every page stands in: the page registry, the database and who is signed in (session, auth, the
sign-in routes), what the session looks at (view: office, year, team, projector), the chrome around a page, and
the one way tables are shown (tables). Imports zi_data only."""
