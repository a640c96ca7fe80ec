-- name: clusters_without_academic_partner
-- title: Clusters with no academic partner
-- description: Clusters (or another actor kind, such as coworking or company) that share no
--   tie with a university or research institute, with the partners they do have. Those with
--   many partners but no academic one are the clearest gaps.
-- params: kind VARCHAR = 'cluster'
WITH ties AS (
    SELECT actor_a AS actor_id, actor_b AS partner_id FROM collaborations
    UNION ALL
    SELECT actor_b, actor_a FROM collaborations
)
SELECT
    a.actor_id,
    a.name,
    a.municipality,
    count(DISTINCT t.partner_id) AS partners,
    string_agg(DISTINCT p.name, ', ' ORDER BY p.name) AS partner_names
FROM actors AS a
LEFT JOIN ties AS t ON t.actor_id = a.actor_id
LEFT JOIN actors AS p ON p.actor_id = t.partner_id
WHERE CAST(a.kind AS VARCHAR) = $kind
GROUP BY a.actor_id, a.name, a.municipality
HAVING count(*) FILTER (WHERE p.kind IN ('academia', 'research_institute')) = 0
ORDER BY partners DESC, a.name
