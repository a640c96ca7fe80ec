-- name: activities_by_budget_and_partners
-- title: Activities by budget and partners
-- description: Projects, programmes, learning labs and calls with their budget, the money
--   partners contribute, how many actors take part and who leads, largest budget first.
--   kind limits the list to one activity kind (empty: every kind).
-- params: kind VARCHAR = NULL, min_participants INTEGER = 0
SELECT
    a.activity_id,
    a.name,
    CAST(a.kind AS VARCHAR) AS kind,
    a.start_date,
    a.end_date,
    a.budget_sek,
    sum(p.contribution_sek) AS contributions_sek,
    count(p.actor_id) AS participants,
    string_agg(x.name, ', ' ORDER BY x.name) FILTER (WHERE p.role = 'lead') AS leads,
    string_agg(x.name, ', ' ORDER BY x.name) AS participant_names
FROM activities AS a
LEFT JOIN participations AS p ON p.activity_id = a.activity_id
LEFT JOIN actors AS x ON x.actor_id = p.actor_id
WHERE CAST($kind AS VARCHAR) IS NULL OR CAST(a.kind AS VARCHAR) = $kind
GROUP BY a.activity_id, a.name, a.kind, a.start_date, a.end_date, a.budget_sek
HAVING count(p.actor_id) >= $min_participants
ORDER BY a.budget_sek DESC NULLS LAST, participants DESC, a.name
