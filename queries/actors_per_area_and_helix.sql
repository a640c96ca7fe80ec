-- name: actors_per_area_and_helix
-- title: Actors per strength area and helix
-- description: For each smart-specialisation strength area, how many actors of each helix of
--   the quadruple helix (public, industry, academia, civil society) work in it, and a last row
--   for the actors linked to no strength area. An empty helix column is a missing partner type.
--   kind limits the count to one actor kind (empty: every kind).
-- params: kind VARCHAR = NULL
WITH chosen AS (
    SELECT
        a.actor_id,
        CAST(coalesce(a.helix, k.default_helix) AS VARCHAR) AS helix
    FROM actors AS a
    JOIN actor_kinds AS k ON k.kind = a.kind
    WHERE CAST($kind AS VARCHAR) IS NULL OR CAST(a.kind AS VARCHAR) = $kind
),
placed AS (
    SELECT sa.area_id, sa.name AS area, c.actor_id, c.helix, 0 AS last
    FROM strength_areas AS sa
    LEFT JOIN actor_areas AS aa ON aa.area_id = sa.area_id
    LEFT JOIN chosen AS c ON c.actor_id = aa.actor_id
    UNION ALL
    SELECT NULL, '(no strength area)', c.actor_id, c.helix, 1
    FROM chosen AS c
    WHERE NOT EXISTS (SELECT 1 FROM actor_areas AS aa WHERE aa.actor_id = c.actor_id)
)
SELECT
    area_id,
    area,
    count(actor_id) FILTER (WHERE helix = 'public') AS public,
    count(actor_id) FILTER (WHERE helix = 'industry') AS industry,
    count(actor_id) FILTER (WHERE helix = 'academia') AS academia,
    count(actor_id) FILTER (WHERE helix = 'civil_society') AS civil_society,
    count(actor_id) FILTER (WHERE helix IS NULL) AS no_helix,
    count(actor_id) AS actors
FROM placed
GROUP BY area_id, area, last
ORDER BY last, actors DESC, area
