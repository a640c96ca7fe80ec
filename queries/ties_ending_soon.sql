-- name: ties_ending_soon
-- title: Ties ending in the next months
-- description: Ties whose activity or relation ends within `months` months after as_of
--   (empty: today), soonest first: the collaborations that disappear unless someone renews
--   them.
-- params: as_of DATE = NULL, months INTEGER = 12
WITH window_ AS (
    SELECT
        coalesce(CAST($as_of AS DATE), current_date) AS first_day,
        CAST(coalesce(CAST($as_of AS DATE), current_date) + to_months($months) AS DATE)
            AS last_day
)
SELECT
    c.end_date,
    date_diff('day', w.first_day, c.end_date) AS days_left,
    least(a.name, b.name) AS actor_1,
    greatest(a.name, b.name) AS actor_2,
    c.kind,
    act.name AS activity
FROM collaborations AS c
CROSS JOIN window_ AS w
JOIN actors AS a ON a.actor_id = c.actor_a
JOIN actors AS b ON b.actor_id = c.actor_b
LEFT JOIN activities AS act ON act.activity_id = c.activity_id
WHERE c.end_date BETWEEN w.first_day AND w.last_day
ORDER BY c.end_date, activity, actor_1, actor_2
