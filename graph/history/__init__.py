"""History: every change of the data recorded and undoable, snapshots ("waves"), the data as it
was recorded at a wave, and what changed between two waves.

Row versions (``log``): each data table ``T`` has ``T_versions`` with ``T``'s columns and the
change ids ``valid_from``/``valid_to``; the writers (``formats.ingest``, ``curation``, ``sql``)
wrap their transaction in ``log.recording_change``, which computes the difference in DuckDB SQL
inside that transaction. ``undo`` reverts a change, ``snapshots`` names waves, ``travel`` shows
the data as it was, ``compare`` lists what was added and removed. May import ``store`` and
``errors`` only: the writers call into history, never the reverse.
"""
