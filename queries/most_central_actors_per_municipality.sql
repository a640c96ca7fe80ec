-- name: most_central_actors_per_municipality
-- title: Most central actors per municipality
-- description: The `top` actors of each municipality by a centrality measure of the latest
--   analysis run (actor_metrics, filled by `ecograph analyze`): betweenness (brokers),
--   pagerank, closeness, degree, weighted_degree or effective_size. cut_vertex marks actors
--   whose removal splits the network. Empty until an analysis has run.
-- params: measure VARCHAR = 'betweenness', top INTEGER = 3
WITH latest AS (
    SELECT *
    FROM actor_metrics
    WHERE computed_at = (SELECT max(computed_at) FROM actor_metrics)
),
scored AS (
    SELECT
        coalesce(a.municipality, '(unknown)') AS municipality,
        m.actor_id,
        a.name,
        CAST(a.kind AS VARCHAR) AS kind,
        CASE $measure
            WHEN 'betweenness' THEN m.betweenness
            WHEN 'pagerank' THEN m.pagerank
            WHEN 'closeness' THEN m.closeness
            WHEN 'degree' THEN m.degree
            WHEN 'weighted_degree' THEN m.weighted_degree
            WHEN 'effective_size' THEN m.effective_size
            ELSE error('measure must be one of betweenness, pagerank, closeness, degree, '
                || 'weighted_degree, effective_size')
        END AS value,
        m.degree,
        m.is_articulation_point AS cut_vertex
    FROM latest AS m
    JOIN actors AS a ON a.actor_id = m.actor_id
),
ranked AS (
    SELECT
        *,
        row_number() OVER (PARTITION BY municipality ORDER BY value DESC NULLS LAST, name)
            AS rank
    FROM scored
)
SELECT municipality, rank, actor_id, name, kind, value, degree, cut_vertex
FROM ranked
WHERE rank <= $top
ORDER BY municipality, rank
