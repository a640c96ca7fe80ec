-- name: strength_areas_without_cluster
-- title: Strength areas without a cluster
-- description: Smart-specialisation strength areas that no actor of kind `kind` (default
--   cluster) is linked to, with how many actors of other kinds are: an area nobody drives.
-- params: kind VARCHAR = 'cluster'
SELECT
    sa.area_id,
    sa.name,
    count(a.actor_id) AS actors,
    string_agg(DISTINCT CAST(a.kind AS VARCHAR), ', ' ORDER BY CAST(a.kind AS VARCHAR))
        AS kinds_present
FROM strength_areas AS sa
LEFT JOIN actor_areas AS aa ON aa.area_id = sa.area_id
LEFT JOIN actors AS a ON a.actor_id = aa.actor_id
GROUP BY sa.area_id, sa.name
HAVING count(*) FILTER (WHERE CAST(a.kind AS VARCHAR) = $kind) = 0
ORDER BY actors DESC, sa.name
