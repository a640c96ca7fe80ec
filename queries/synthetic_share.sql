-- name: synthetic_share
-- title: Synthetic share per table
-- description: How many rows of each data table rest on a synthetic (made-up, demo) source,
--   and the share of all data rows: what to switch off before drawing conclusions.
WITH per_table AS (
    SELECT 1 AS pos, 'actors' AS table_name, t.source_id FROM actors AS t
    UNION ALL SELECT 2, 'strength_areas', source_id FROM strength_areas
    UNION ALL SELECT 3, 'actor_areas', source_id FROM actor_areas
    UNION ALL SELECT 4, 'activities', source_id FROM activities
    UNION ALL SELECT 5, 'participations', source_id FROM participations
    UNION ALL SELECT 6, 'relations', source_id FROM relations
    UNION ALL SELECT 7, 'actor_aliases', source_id FROM actor_aliases
),
tables AS (
    SELECT * FROM (VALUES
        (1, 'actors'), (2, 'strength_areas'), (3, 'actor_areas'), (4, 'activities'),
        (5, 'participations'), (6, 'relations'), (7, 'actor_aliases')
    ) AS v (pos, table_name)
),
counted AS (
    SELECT
        t.pos,
        t.table_name,
        count(r.pos) AS rows,
        count(r.pos) FILTER (WHERE s.synthetic) AS synthetic
    FROM tables AS t
    LEFT JOIN per_table AS r ON r.pos = t.pos
    LEFT JOIN sources AS s ON s.source_id = r.source_id
    GROUP BY t.pos, t.table_name
    UNION ALL
    SELECT 8, '(all data)', count(*), count(*) FILTER (WHERE s.synthetic)
    FROM per_table AS r
    LEFT JOIN sources AS s ON s.source_id = r.source_id
)
SELECT
    table_name,
    rows,
    synthetic,
    round(100.0 * synthetic / nullif(rows, 0), 1) AS synthetic_pct
FROM counted
ORDER BY pos
