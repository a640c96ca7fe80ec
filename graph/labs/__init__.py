"""Learning labs: participants state their organisation's ties on their phones, a moderator
approves, and the approved ties become relations sourced to the lab.

A lab is an activity of kind ``learning_lab`` with a short join code (``lab``). Submissions arrive
over HTTP (``server``: the phone form and a JSON route) and wait in a durable SQLite queue beside
the database (``queue``), so the many small writes of a workshop never compete with the app and
the CLI for DuckDB's single writer. Approval (``approval``) moves them into DuckDB as one import,
through the same validation and actor matching as every file. Wanted ties go to a table of their
own, never to the ties.

May import: errors, store, formats, curation, history (approval is an import). Never Streamlit.
"""
