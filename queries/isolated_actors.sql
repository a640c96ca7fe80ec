-- name: isolated_actors
-- title: Actors with no tie at all
-- description: Actors that share no activity and no relation with anyone: outside the network
--   as far as the data knows (or missing data). kind limits the list to one actor kind
--   (empty: every kind).
-- params: kind VARCHAR = NULL
SELECT
    a.actor_id,
    a.name,
    CAST(a.kind AS VARCHAR) AS kind,
    a.municipality,
    s.title AS source
FROM actors AS a
LEFT JOIN sources AS s ON s.source_id = a.source_id
WHERE NOT EXISTS (
        SELECT 1 FROM collaborations AS c
        WHERE c.actor_a = a.actor_id OR c.actor_b = a.actor_id
    )
    AND (CAST($kind AS VARCHAR) IS NULL OR CAST(a.kind AS VARCHAR) = $kind)
ORDER BY kind, a.name
