-- name: ties_lost_if_activity_ends
-- title: Ties lost if an activity ends
-- description: Pairs of actors whose only tie is activity_id: when it ends they no longer
--   work together unless something replaces it (what-if for a project's end).
-- params: activity_id VARCHAR = 'designdrivna-innovationskluster'
WITH through_activity AS (
    SELECT DISTINCT actor_a, actor_b
    FROM collaborations
    WHERE activity_id = $activity_id
),
other_ties AS (
    SELECT actor_a, actor_b
    FROM collaborations
    WHERE activity_id IS DISTINCT FROM $activity_id
)
SELECT
    least(a.name, b.name) AS actor_1,
    greatest(a.name, b.name) AS actor_2,
    least(CAST(a.kind AS VARCHAR), CAST(b.kind AS VARCHAR)) || ' – '
        || greatest(CAST(a.kind AS VARCHAR), CAST(b.kind AS VARCHAR)) AS kinds
FROM through_activity AS t
JOIN actors AS a ON a.actor_id = t.actor_a
JOIN actors AS b ON b.actor_id = t.actor_b
WHERE NOT EXISTS (
    SELECT 1 FROM other_ties AS o WHERE o.actor_a = t.actor_a AND o.actor_b = t.actor_b
)
ORDER BY actor_1, actor_2
