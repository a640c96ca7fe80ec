-- The app's current filter (the sidebar) as two views for the SQL console, on its sandboxed
-- read-only connection: temporary, so nothing is written and every query sees its own.
-- `current_actors` holds the actors the filter keeps and `current_collaborations` the
-- collaborations rows between two of them in the time window, exactly as the analyses select
-- them (graph/analysis/network.py: load_actors, load_ties). Empty lists mean "all".
CREATE OR REPLACE TEMP TABLE current_filter AS
SELECT
    CAST($kinds AS VARCHAR[]) AS kinds,
    CAST($helices AS VARCHAR[]) AS helices,
    CAST($municipalities AS VARCHAR[]) AS municipalities,
    CAST($regions AS VARCHAR[]) AS regions,
    CAST($areas AS VARCHAR[]) AS areas,
    CAST($exclude AS VARCHAR[]) AS exclude,
    CAST($start AS DATE) AS start_date,
    CAST($end AS DATE) AS end_date,
    CAST($synthetic AS BOOLEAN) AS synthetic;

CREATE OR REPLACE TEMP VIEW current_actors AS
SELECT a.*
FROM actors AS a
LEFT JOIN sources AS s ON s.source_id = a.source_id
CROSS JOIN current_filter AS f
WHERE (len(f.kinds) = 0 OR list_contains(f.kinds, CAST(a.kind AS VARCHAR)))
  AND (len(f.helices) = 0 OR list_contains(f.helices, CAST(a.helix AS VARCHAR)))
  AND (len(f.municipalities) = 0 OR list_contains(f.municipalities, a.municipality))
  AND (len(f.regions) = 0 OR list_contains(f.regions, a.region))
  AND (len(f.areas) = 0 OR EXISTS (
      SELECT 1 FROM actor_areas AS aa
      WHERE aa.actor_id = a.actor_id AND list_contains(f.areas, aa.area_id)))
  AND (f.synthetic OR NOT coalesce(s.synthetic, false))
  AND NOT list_contains(f.exclude, a.actor_id);

CREATE OR REPLACE TEMP VIEW current_collaborations AS
SELECT c.*
FROM collaborations AS c
LEFT JOIN sources AS s ON s.source_id = c.source_id
CROSS JOIN current_filter AS f
WHERE (f.start_date IS NULL OR c.end_date IS NULL OR c.end_date >= f.start_date)
  AND (f.end_date IS NULL OR c.start_date IS NULL OR c.start_date <= f.end_date)
  AND (f.synthetic OR NOT coalesce(s.synthetic, false))
  AND c.actor_a IN (SELECT actor_id FROM current_actors)
  AND c.actor_b IN (SELECT actor_id FROM current_actors);
