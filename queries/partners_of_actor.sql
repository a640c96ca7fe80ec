-- name: partners_of_actor
-- title: Partners of an actor
-- description: Everyone actor_id shares a tie with, and through what (the shared activities,
--   or the kind of a direct relation), most ties first; synthetic marks partners known only
--   from made-up demo data.
-- params: actor_id VARCHAR = 'peak-innovation'
WITH ties AS (
    SELECT actor_a AS actor_id, actor_b AS partner_id, kind, activity_id, start_date, end_date,
        source_id
    FROM collaborations
    UNION ALL
    SELECT actor_b, actor_a, kind, activity_id, start_date, end_date, source_id
    FROM collaborations
)
SELECT
    p.actor_id AS partner_id,
    p.name AS partner,
    CAST(p.kind AS VARCHAR) AS kind,
    p.municipality,
    count(*) AS ties,
    string_agg(DISTINCT coalesce(act.name, t.kind), '; ' ORDER BY coalesce(act.name, t.kind))
        AS through,
    min(t.start_date) AS first_start,
    max(t.end_date) AS last_end,
    bool_and(coalesce(s.synthetic, false)) AS synthetic
FROM ties AS t
JOIN actors AS p ON p.actor_id = t.partner_id
LEFT JOIN activities AS act ON act.activity_id = t.activity_id
LEFT JOIN sources AS s ON s.source_id = t.source_id
WHERE t.actor_id = $actor_id
GROUP BY p.actor_id, p.name, p.kind, p.municipality
ORDER BY ties DESC, partner
