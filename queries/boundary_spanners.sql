-- name: boundary_spanners
-- title: Boundary spanners across the helices
-- description: Actors whose partners come from at least min_helices helices of the quadruple
--   helix, with how many actor kinds and partners they reach: the brokers between industry,
--   academia, the public sector and civil society, and the ones the system depends on.
-- params: min_helices INTEGER = 2
WITH ties AS (
    SELECT actor_a AS actor_id, actor_b AS partner_id FROM collaborations
    UNION
    SELECT actor_b, actor_a FROM collaborations
),
partners AS (
    SELECT
        t.actor_id,
        t.partner_id,
        CAST(p.kind AS VARCHAR) AS kind,
        CAST(coalesce(p.helix, k.default_helix) AS VARCHAR) AS helix
    FROM ties AS t
    JOIN actors AS p ON p.actor_id = t.partner_id
    JOIN actor_kinds AS k ON k.kind = p.kind
)
SELECT
    a.actor_id,
    a.name,
    CAST(a.kind AS VARCHAR) AS kind,
    count(DISTINCT p.helix) AS partner_helices,
    count(DISTINCT p.kind) AS partner_kinds,
    count(DISTINCT p.partner_id) AS partners,
    string_agg(DISTINCT p.helix, ', ' ORDER BY p.helix) AS helices
FROM actors AS a
JOIN partners AS p ON p.actor_id = a.actor_id
GROUP BY a.actor_id, a.name, a.kind
HAVING count(DISTINCT p.helix) >= $min_helices
ORDER BY partner_helices DESC, partner_kinds DESC, partners DESC, a.name
