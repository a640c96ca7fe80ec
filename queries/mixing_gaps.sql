-- name: mixing_gaps
-- title: Groups that rarely work together
-- description: Pairs of groups (actor kinds, helices, municipalities, strength areas,
--   communities) with fewer ties than random networks with the same numbers of ties give:
--   observed / expected below max_ratio, in the latest analysis run for `grouping`
--   (group_mixing, filled by `ecograph analyze`), with the null model's verdict. With
--   significant_only (the default) only pairs whose verdict is 'gap' are listed: fewer ties
--   than expected after Benjamini-Hochberg, q < 0.05. Largest gaps first.
-- params: grouping VARCHAR = 'kind', max_ratio DOUBLE = 0.5, significant_only BOOLEAN = true
WITH latest AS (
    SELECT *
    FROM group_mixing
    WHERE grouping = $grouping
        AND computed_at = (
            SELECT max(computed_at) FROM group_mixing WHERE grouping = $grouping
        )
)
SELECT
    group_a,
    group_b,
    observed,
    round(expected, 3) AS expected,
    round(ratio, 3) AS ratio,
    round(density, 3) AS density,
    verdict,
    round(q_value, 4) AS q_value
FROM latest
WHERE ratio < $max_ratio
    AND (NOT coalesce($significant_only, true) OR verdict = 'gap')
ORDER BY ratio, expected DESC, group_a, group_b
