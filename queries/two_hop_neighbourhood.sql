-- name: two_hop_neighbourhood
-- title: Who is within two hops of an actor
-- description: Actors reachable from actor_id through at most max_hops ties, nearest first,
--   with the actors one hop closer that connect them (who can introduce you). Row 0 is the
--   actor itself; no rows means the id is unknown.
-- params: actor_id VARCHAR = 'peak-innovation', max_hops INTEGER = 2
WITH RECURSIVE edges AS (
    SELECT actor_a AS src, actor_b AS dst FROM collaborations
    UNION
    SELECT actor_b, actor_a FROM collaborations
),
reach (actor_id, hops) AS (
    SELECT CAST($actor_id AS VARCHAR), 0
    UNION
    SELECT e.dst, r.hops + 1
    FROM reach AS r
    JOIN edges AS e ON e.src = r.actor_id
    WHERE r.hops < $max_hops
),
nearest AS (
    SELECT actor_id, min(hops) AS hops FROM reach GROUP BY actor_id
)
SELECT
    n.hops,
    n.actor_id,
    a.name,
    CAST(a.kind AS VARCHAR) AS kind,
    a.municipality,
    string_agg(DISTINCT v.name, ', ' ORDER BY v.name) AS via
FROM nearest AS n
JOIN actors AS a ON a.actor_id = n.actor_id
LEFT JOIN edges AS e ON e.dst = n.actor_id
LEFT JOIN nearest AS prev ON prev.actor_id = e.src AND prev.hops = n.hops - 1
LEFT JOIN actors AS v ON v.actor_id = prev.actor_id
GROUP BY n.hops, n.actor_id, a.name, a.kind, a.municipality
ORDER BY n.hops, a.name
