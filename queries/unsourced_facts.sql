-- name: unsourced_facts
-- title: Unsourced facts
-- description: Every row whose file named no source, so ecograph attached it to a source for
--   the file (marked auto): facts to check and source before anyone relies on them.
--   table_name limits the list to one table (empty: every table).
-- params: table_name VARCHAR = NULL
WITH facts AS (
    SELECT 'actors' AS table_name, actor_id AS row_key, name AS label, source_id FROM actors
    UNION ALL
    SELECT 'strength_areas', area_id, name, source_id FROM strength_areas
    UNION ALL
    SELECT 'actor_areas', actor_id || ' / ' || area_id, NULL, source_id FROM actor_areas
    UNION ALL
    SELECT 'activities', activity_id, name, source_id FROM activities
    UNION ALL
    SELECT 'participations', activity_id || ' / ' || actor_id, CAST(role AS VARCHAR), source_id
    FROM participations
    UNION ALL
    SELECT 'relations', relation_id, from_actor || ' – ' || to_actor, source_id FROM relations
    UNION ALL
    SELECT 'actor_aliases', actor_id || ' / ' || alias, alias, source_id FROM actor_aliases
)
SELECT f.table_name, f.row_key, f.label, f.source_id, s.title AS source_title
FROM facts AS f
LEFT JOIN sources AS s ON s.source_id = f.source_id
WHERE (s.auto OR s.source_id IS NULL)
    AND (CAST($table_name AS VARCHAR) IS NULL OR f.table_name = $table_name)
ORDER BY f.table_name, f.row_key
