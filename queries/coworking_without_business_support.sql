-- name: coworking_without_business_support
-- title: Co-working spaces with no tie to business support
-- description: Co-working spaces that share no tie with an actor of kind support_kind
--   (default business_support; empty: any support actor, that is a region, public agency,
--   business support, design organisation, university, research institute or funder), with
--   the support actors they are tied to.
-- params: support_kind VARCHAR = 'business_support'
WITH ties AS (
    SELECT actor_a AS actor_id, actor_b AS partner_id FROM collaborations
    UNION ALL
    SELECT actor_b, actor_a FROM collaborations
),
support_ties AS (
    SELECT t.actor_id, p.name, CAST(p.kind AS VARCHAR) AS kind
    FROM ties AS t
    JOIN actors AS p ON p.actor_id = t.partner_id
    JOIN actor_kinds AS k ON k.kind = p.kind
    WHERE k.support
)
SELECT
    a.actor_id,
    a.name,
    a.municipality,
    (SELECT count(DISTINCT t.partner_id) FROM ties AS t WHERE t.actor_id = a.actor_id)
        AS partners,
    (SELECT string_agg(DISTINCT s.name, ', ' ORDER BY s.name)
        FROM support_ties AS s WHERE s.actor_id = a.actor_id) AS support_partners
FROM actors AS a
WHERE a.kind = 'coworking'
    AND NOT EXISTS (
        SELECT 1 FROM support_ties AS s
        WHERE s.actor_id = a.actor_id
            AND (CAST($support_kind AS VARCHAR) IS NULL OR s.kind = $support_kind)
    )
ORDER BY partners DESC, a.name
