"""Formats: files in and out.

Readers for our own tables (CSV, Excel, Parquet) and for the files other tools write (Kumu,
GEXF, GraphML, GML, Pajek, graph JSON, EU CORDIS), validation, the import transaction
(``ingest``) and export. May import ``store`` and ``curation`` (an import matches actors).
"""
