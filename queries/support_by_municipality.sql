-- name: support_by_municipality
-- title: Support coverage per municipality
-- description: Per municipality: actors, support actors located there, target actors
--   (clusters, co-working spaces, companies) and how many of them have a direct tie to any
--   support actor. Municipalities with targets but no tie to support come first. region
--   limits the count to one region, such as 'Jämtlands län' (empty: all).
-- params: region VARCHAR = NULL
WITH ties AS (
    SELECT actor_a AS actor_id, actor_b AS partner_id FROM collaborations
    UNION
    SELECT actor_b, actor_a FROM collaborations
),
tied_to_support AS (
    SELECT DISTINCT t.actor_id
    FROM ties AS t
    JOIN actors AS p ON p.actor_id = t.partner_id
    JOIN actor_kinds AS k ON k.kind = p.kind
    WHERE k.support
),
per_actor AS (
    SELECT
        coalesce(a.municipality, '(unknown)') AS municipality,
        k.support,
        k.target,
        a.actor_id IN (SELECT actor_id FROM tied_to_support) AS supported
    FROM actors AS a
    JOIN actor_kinds AS k ON k.kind = a.kind
    WHERE CAST($region AS VARCHAR) IS NULL OR a.region = $region
)
SELECT
    municipality,
    count(*) AS actors,
    count(*) FILTER (WHERE support) AS support_actors,
    count(*) FILTER (WHERE target) AS targets,
    count(*) FILTER (WHERE target AND supported) AS targets_tied_to_support,
    count(*) FILTER (WHERE target AND NOT supported) AS targets_without_support
FROM per_actor
GROUP BY municipality
ORDER BY targets_without_support DESC, targets DESC, municipality
