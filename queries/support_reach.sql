-- name: support_reach
-- title: Which support actors reach clusters, co-working spaces and firms
-- description: Every support actor (region, public agency, business support, design
--   organisation, university, research institute, funder) with the target actors it is tied
--   to directly (clusters, co-working spaces, companies; target_kind picks one of them, empty:
--   all three). Support actors that reach no target work beside the firms, not with them.
-- params: target_kind VARCHAR = NULL
WITH ties AS (
    SELECT actor_a AS actor_id, actor_b AS partner_id FROM collaborations
    UNION
    SELECT actor_b, actor_a FROM collaborations
),
reached AS (
    SELECT t.actor_id, p.actor_id AS target_id, p.name
    FROM ties AS t
    JOIN actors AS p ON p.actor_id = t.partner_id
    JOIN actor_kinds AS k ON k.kind = p.kind
    WHERE k.target
        AND (CAST($target_kind AS VARCHAR) IS NULL OR CAST(p.kind AS VARCHAR) = $target_kind)
)
SELECT
    s.actor_id,
    s.name,
    CAST(s.kind AS VARCHAR) AS kind,
    s.municipality,
    (SELECT count(*) FROM reached AS r WHERE r.actor_id = s.actor_id) AS targets_reached,
    (SELECT count(*) FROM ties AS t WHERE t.actor_id = s.actor_id) AS partners,
    (SELECT string_agg(r.name, ', ' ORDER BY r.name) FROM reached AS r
        WHERE r.actor_id = s.actor_id) AS targets
FROM actors AS s
JOIN actor_kinds AS k ON k.kind = s.kind
WHERE k.support
ORDER BY targets_reached DESC, partners DESC, s.name
