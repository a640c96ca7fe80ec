-- name: mixing_gaps
-- title: Groups that rarely work together
-- description: Pairs of groups (actor kinds, helices, municipalities, strength areas,
--   communities) with fewer ties than expected if partners were chosen at random given their
--   degrees: observed / expected below max_ratio, in the latest analysis run for `grouping`
--   (group_mixing, filled by `ecograph analyze`). Largest gaps first.
-- params: grouping VARCHAR = 'kind', max_ratio DOUBLE = 0.5
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
    round(density, 3) AS density
FROM latest
WHERE ratio < $max_ratio
ORDER BY ratio, expected DESC, group_a, group_b
