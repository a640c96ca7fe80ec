-- name: ties_per_kind_pair_per_year
-- title: Ties per pair of actor kinds, per year
-- description: How many ties (shared activities and direct relations) link each pair of actor
--   kinds in each year a tie is active, from its start year to its end year (an open-ended tie
--   runs to this year). Ties with no start date are counted once under an empty year when
--   include_undated is true. Few ties between support actors and clusters mark a thin spot.
-- params: from_year INTEGER = 2000, to_year INTEGER = 2030, include_undated BOOLEAN = true
WITH typed AS (
    SELECT
        least(CAST(a.kind AS VARCHAR), CAST(b.kind AS VARCHAR)) AS kind_a,
        greatest(CAST(a.kind AS VARCHAR), CAST(b.kind AS VARCHAR)) AS kind_b,
        year(c.start_date) AS first_year,
        year(coalesce(c.end_date, current_date)) AS last_year
    FROM collaborations AS c
    JOIN actors AS a ON a.actor_id = c.actor_a
    JOIN actors AS b ON b.actor_id = c.actor_b
),
per_year AS (
    SELECT
        unnest(range(greatest(first_year, $from_year), least(last_year, $to_year) + 1)) AS year,
        kind_a,
        kind_b
    FROM typed
    WHERE first_year IS NOT NULL
    UNION ALL
    SELECT NULL AS year, kind_a, kind_b
    FROM typed
    WHERE first_year IS NULL AND $include_undated
)
SELECT year, kind_a, kind_b, count(*) AS ties
FROM per_year
GROUP BY year, kind_a, kind_b
ORDER BY year NULLS LAST, ties DESC, kind_a, kind_b
