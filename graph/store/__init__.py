"""The store: the DuckDB file and its tables.

Opening, creating and migrating the database (``database``), the schema and its vocabularies
(``schema.sql``, ``tables``), configuration (``config``, ``limits``), the analysis cache, row
counts (``stats``) and backups. The bottom of the arrows: it imports no other part of ``graph``
(only ``graph.errors``).
"""
