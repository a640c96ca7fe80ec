-- ecograph database schema, version 1.
--
-- Controlled vocabularies are DuckDB ENUM types, so an unknown value can never be stored and
-- `enum_range(NULL::actor_kind)` lists the allowed values (the validator reads them from here).
--
-- References between tables are checked by the importer (row-level messages) and again by the
-- integrity queries in graph/integrity.sql inside every write transaction. They are deliberately
-- not declared as FOREIGN KEY: DuckDB refuses an upsert or a delete of a referenced row even when
-- the referencing rows are changed in the same transaction, which would make re-imports, --replace
-- and actor merges impossible.

CREATE TYPE actor_kind AS ENUM (
    'region', 'public_agency', 'municipality', 'business_support', 'design_org', 'cluster',
    'coworking', 'company', 'academia', 'research_institute', 'civil_society', 'sami_org',
    'funder', 'other'
);
CREATE TYPE helix AS ENUM ('public', 'industry', 'academia', 'civil_society');
CREATE TYPE participation_role AS ENUM (
    'lead', 'partner', 'cofinancer', 'funder', 'member', 'target_group'
);
CREATE TYPE relation_kind AS ENUM (
    'partnership', 'membership', 'funding', 'ownership', 'hosting', 'advice', 'other'
);
CREATE TYPE activity_kind AS ENUM (
    'project', 'programme', 'learning_lab', 'funding_call', 'network', 'other'
);

-- Key/value facts about the database itself: schema_version, data_version (bumped on every
-- write, used as a cache key by the app), created_at.
CREATE TABLE schema_info (
    key VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);

-- What each actor kind means for the analyses: the helix an actor of this kind belongs to when
-- the data does not say, and whether it is part of the innovation-support system (support) or
-- one of the actors that support is for (target).
CREATE TABLE actor_kinds (
    kind actor_kind PRIMARY KEY,
    label VARCHAR NOT NULL,
    default_helix helix,
    support BOOLEAN NOT NULL,
    target BOOLEAN NOT NULL
);
INSERT INTO actor_kinds VALUES
    ('region', 'Region', 'public', true, false),
    ('public_agency', 'Public agency', 'public', true, false),
    ('municipality', 'Municipality', 'public', false, false),
    ('business_support', 'Business support', 'public', true, false),
    ('design_org', 'Design organisation', 'civil_society', true, false),
    ('cluster', 'Cluster', 'industry', false, true),
    ('coworking', 'Co-working space', 'industry', false, true),
    ('company', 'Company', 'industry', false, true),
    ('academia', 'University', 'academia', true, false),
    ('research_institute', 'Research institute', 'academia', true, false),
    ('civil_society', 'Civil society', 'civil_society', false, false),
    ('sami_org', 'Sami organisation', NULL, false, false),
    ('funder', 'Funder', 'public', true, false),
    ('other', 'Other', NULL, false, false);

CREATE TABLE sources (
    source_id VARCHAR PRIMARY KEY CHECK (source_id <> ''),
    title VARCHAR NOT NULL,
    publisher VARCHAR,
    url VARCHAR,
    published DATE,
    note VARCHAR,
    -- made up by code (graph/datasets/synth.py) for demos and scale, never a fact about the world
    synthetic BOOLEAN NOT NULL DEFAULT false,
    -- created by ecograph because the imported rows named no source: the rows are unsourced
    auto BOOLEAN NOT NULL DEFAULT false
);

CREATE TABLE actors (
    actor_id VARCHAR PRIMARY KEY CHECK (actor_id <> ''),
    name VARCHAR NOT NULL CHECK (name <> ''),
    kind actor_kind NOT NULL,
    helix helix,
    municipality VARCHAR,
    region VARCHAR,
    lat DOUBLE CHECK (lat BETWEEN -90 AND 90),
    lon DOUBLE CHECK (lon BETWEEN -180 AND 180),
    website VARCHAR,
    description VARCHAR,
    source_id VARCHAR NOT NULL,
    -- every attribute an outside file gave that has no column of its own (Kumu custom fields,
    -- GEXF/GraphML data, Gephi's viz, the original type text, timestamped values), one JSON
    -- object with sorted keys: attributes->>'Net Worth'
    attributes JSON
);

CREATE TABLE strength_areas (
    area_id VARCHAR PRIMARY KEY CHECK (area_id <> ''),
    name VARCHAR NOT NULL CHECK (name <> ''),
    description VARCHAR,
    source_id VARCHAR NOT NULL
);

CREATE TABLE actor_areas (
    actor_id VARCHAR NOT NULL,
    area_id VARCHAR NOT NULL,
    source_id VARCHAR NOT NULL,
    PRIMARY KEY (actor_id, area_id)
);

CREATE TABLE activities (
    activity_id VARCHAR PRIMARY KEY CHECK (activity_id <> ''),
    name VARCHAR NOT NULL CHECK (name <> ''),
    kind activity_kind NOT NULL DEFAULT 'project',
    start_date DATE,
    end_date DATE,
    budget_sek DOUBLE CHECK (budget_sek >= 0),
    programme VARCHAR,
    -- the activity this one is part of (a learning lab of a project)
    part_of VARCHAR,
    description VARCHAR,
    source_id VARCHAR NOT NULL,
    CHECK (end_date >= start_date)
);

CREATE TABLE participations (
    activity_id VARCHAR NOT NULL,
    actor_id VARCHAR NOT NULL,
    role participation_role NOT NULL DEFAULT 'partner',
    contribution_sek DOUBLE CHECK (contribution_sek >= 0),
    source_id VARCHAR NOT NULL,
    PRIMARY KEY (activity_id, actor_id)
);

CREATE TABLE relations (
    relation_id VARCHAR PRIMARY KEY CHECK (relation_id <> ''),
    from_actor VARCHAR NOT NULL,
    to_actor VARCHAR NOT NULL,
    kind relation_kind NOT NULL DEFAULT 'partnership',
    directed BOOLEAN NOT NULL DEFAULT false,
    start_date DATE,
    end_date DATE,
    weight DOUBLE NOT NULL DEFAULT 1 CHECK (weight > 0),
    description VARCHAR,
    source_id VARCHAR NOT NULL,
    -- as actors.attributes: the edge's own attributes from an outside file (label, type text,
    -- a weight of 0 or below, dynamic values)
    attributes JSON,
    CHECK (from_actor <> to_actor),
    CHECK (end_date >= start_date)
);

-- Other names and identifiers of an actor (a CORDIS organisation id, "MITTUNIVERSITETET"),
-- used to match imported organisations to known actors.
CREATE TABLE actor_aliases (
    actor_id VARCHAR NOT NULL,
    alias VARCHAR NOT NULL CHECK (alias <> ''),
    source_id VARCHAR NOT NULL,
    PRIMARY KEY (actor_id, alias)
);

-- Ties that participants of a learning lab would like to have but cannot reach (graph/labs/):
-- who named it (from_actor), whom they want to reach (to_actor), what stops it, and the lab
-- (activity_id). Never a tie: no view, map or analysis reads it as one; the lab summary sets
-- them beside the gaps the analysis measures.
CREATE TABLE wanted_ties (
    wanted_id VARCHAR PRIMARY KEY CHECK (wanted_id <> ''),
    activity_id VARCHAR NOT NULL,
    from_actor VARCHAR NOT NULL,
    to_actor VARCHAR NOT NULL,
    obstacle VARCHAR,
    source_id VARCHAR NOT NULL,
    CHECK (from_actor <> to_actor)
);

-- Possible duplicates that an import found but did not merge (graph/curation/matching.py): an incoming
-- actor, imported as a new actor, whose name is equal to or like a known actor's while its kind
-- or place differ. `ecograph actors review` lists the pending ones; `actors merge` resolves a
-- pair by merging, `actors dismiss` marks it as two different actors (kept, so it is not
-- proposed again). Not a data table: exports and --replace leave it out (--replace empties it).
CREATE TABLE match_candidates (
    incoming_id VARCHAR NOT NULL,
    incoming_name VARCHAR NOT NULL,
    candidate_id VARCHAR NOT NULL,
    candidate_name VARCHAR NOT NULL,
    score DOUBLE NOT NULL,
    reason VARCHAR NOT NULL,
    source_id VARCHAR,
    status VARCHAR NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'dismissed')),
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (incoming_id, candidate_id)
);

-- One row per unordered pair of actors per shared activity or per relation, actor_a < actor_b.
-- A tie drawn from two participations takes the source of a synthetic one if either is
-- synthetic, so switching synthetic data off removes every tie that rests on made-up facts.
CREATE VIEW collaborations AS
SELECT
    least(r.from_actor, r.to_actor) AS actor_a,
    greatest(r.from_actor, r.to_actor) AS actor_b,
    CAST(r.kind AS VARCHAR) AS kind,
    CAST(NULL AS VARCHAR) AS activity_id,
    r.start_date,
    r.end_date,
    r.weight,
    r.source_id
FROM relations AS r
UNION ALL
SELECT
    p1.actor_id AS actor_a,
    p2.actor_id AS actor_b,
    CAST(a.kind AS VARCHAR) AS kind,
    a.activity_id,
    a.start_date,
    a.end_date,
    1.0 AS weight,
    CASE WHEN coalesce(s1.synthetic, false) THEN p1.source_id ELSE p2.source_id END AS source_id
FROM participations AS p1
JOIN participations AS p2 ON p1.activity_id = p2.activity_id AND p1.actor_id < p2.actor_id
JOIN activities AS a ON a.activity_id = p1.activity_id
LEFT JOIN sources AS s1 ON s1.source_id = p1.source_id;

-- Analysis results, written by `ecograph analyze` (graph/analysis/gaps.py, graph/analysis/metrics.py) and read by
-- SQL. Each row records the parameters (filters, time window, grouping) it was computed with, as
-- JSON in `params`, and when. Empty until an analysis has run.
CREATE TABLE actor_metrics (
    actor_id VARCHAR NOT NULL,
    degree INTEGER NOT NULL,
    weighted_degree DOUBLE NOT NULL,
    betweenness DOUBLE,
    -- 'exact', or 'sampled k=256 seed=42' above the exact-size limit
    betweenness_method VARCHAR,
    closeness DOUBLE,
    closeness_method VARCHAR,
    pagerank DOUBLE,
    burt_constraint DOUBLE,
    effective_size DOUBLE,
    community INTEGER,
    core_number INTEGER,
    is_articulation_point BOOLEAN NOT NULL,
    params VARCHAR NOT NULL,
    computed_at TIMESTAMP NOT NULL
);

CREATE TABLE group_mixing (
    grouping VARCHAR NOT NULL,
    group_a VARCHAR NOT NULL,
    group_b VARCHAR NOT NULL,
    observed DOUBLE NOT NULL,
    expected DOUBLE NOT NULL,
    ratio DOUBLE,
    density DOUBLE,
    params VARCHAR NOT NULL,
    computed_at TIMESTAMP NOT NULL,
    -- Is the gap real? (graph/analysis/significance.py) `expected` is the mean over degree-
    -- preserving random networks (their number and seed are in `params`); ci_low/ci_high their
    -- 5th and 95th percentiles; p_value one-sided in the direction of the deviation; q_value
    -- Benjamini-Hochberg over the judged pairs of the grouping.
    ci_low DOUBLE,
    ci_high DOUBLE,
    z DOUBLE,
    p_value DOUBLE,
    q_value DOUBLE,
    verdict VARCHAR CHECK (verdict IN ('gap', 'more_than_expected', 'as_expected', 'too_few_to_judge'))
);

CREATE TABLE ei_index (
    grouping VARCHAR NOT NULL,
    "group" VARCHAR NOT NULL,
    actors DOUBLE,
    internal DOUBLE NOT NULL,
    external DOUBLE NOT NULL,
    ei DOUBLE,
    params VARCHAR NOT NULL,
    computed_at TIMESTAMP NOT NULL
);

CREATE TABLE support_distance (
    actor_id VARCHAR NOT NULL,
    name VARCHAR,
    kind VARCHAR,
    hops INTEGER,
    nearest_support VARCHAR,
    nearest_support_name VARCHAR,
    reached BOOLEAN NOT NULL,
    params VARCHAR NOT NULL,
    computed_at TIMESTAMP NOT NULL
);

CREATE TABLE brokerage (
    actor_id VARCHAR NOT NULL,
    grouping VARCHAR NOT NULL,
    "group" VARCHAR,
    coordinator BIGINT NOT NULL,
    itinerant BIGINT NOT NULL,
    gatekeeper_representative BIGINT NOT NULL,
    liaison BIGINT NOT NULL,
    total BIGINT NOT NULL,
    params VARCHAR NOT NULL,
    computed_at TIMESTAMP NOT NULL
);

CREATE TABLE fragility (
    actor_id VARCHAR NOT NULL,
    name VARCHAR,
    kind VARCHAR,
    is_articulation_point BOOLEAN NOT NULL,
    bridges BIGINT NOT NULL,
    components_after BIGINT NOT NULL,
    largest_component_after BIGINT NOT NULL,
    lost_support BIGINT NOT NULL,
    lost_support_names VARCHAR,
    efficiency_before DOUBLE,
    efficiency_after DOUBLE,
    efficiency_drop DOUBLE,
    params VARCHAR NOT NULL,
    computed_at TIMESTAMP NOT NULL
);

CREATE TABLE bridges (
    actor_a VARCHAR NOT NULL,
    actor_b VARCHAR NOT NULL,
    name_a VARCHAR,
    name_b VARCHAR,
    kinds VARCHAR,
    params VARCHAR NOT NULL,
    computed_at TIMESTAMP NOT NULL
);

CREATE TABLE coverage (
    area_id VARCHAR NOT NULL,
    area_name VARCHAR,
    dimension VARCHAR NOT NULL,
    value VARCHAR,
    actors BIGINT NOT NULL,
    ties BIGINT NOT NULL,
    params VARCHAR NOT NULL,
    computed_at TIMESTAMP NOT NULL
);

CREATE TABLE coverage_flags (
    area_id VARCHAR NOT NULL,
    area_name VARCHAR,
    actors BIGINT NOT NULL,
    academia BIGINT NOT NULL,
    industry BIGINT NOT NULL,
    support BIGINT NOT NULL,
    flags VARCHAR,
    params VARCHAR NOT NULL,
    computed_at TIMESTAMP NOT NULL
);

CREATE TABLE network_by_year (
    year INTEGER NOT NULL,
    actors_active BIGINT NOT NULL,
    ties BIGINT NOT NULL,
    tie_rows BIGINT NOT NULL,
    density DOUBLE,
    components BIGINT NOT NULL,
    largest_component_share DOUBLE,
    mean_degree DOUBLE,
    new_pairs BIGINT,
    ended_pairs BIGINT,
    params VARCHAR NOT NULL,
    computed_at TIMESTAMP NOT NULL
);

CREATE TABLE at_risk_ties (
    actor_a VARCHAR NOT NULL,
    actor_b VARCHAR NOT NULL,
    name_a VARCHAR,
    name_b VARCHAR,
    kind VARCHAR,
    activity_id VARCHAR,
    activity_name VARCHAR,
    end_date DATE,
    status VARCHAR NOT NULL,
    other_ties BIGINT NOT NULL,
    at_risk BOOLEAN NOT NULL,
    params VARCHAR NOT NULL,
    computed_at TIMESTAMP NOT NULL
);

-- A diagnosis of the innovation system (graph/analysis/diagnosis.py): regional innovation-system
-- failures after Tödtling & Trippl (2005) and Klein Woolthuis et al. (2005), per strength area
-- (scope = the area id) and for the whole network (scope = '(all)'). `value` is the indicator,
-- `reference` what it is judged against (a published threshold, or the mean over degree-
-- preserving random networks), `verdict` one of weak / watch / sound / not_judged, and
-- `explanation` the verdict in plain words with the numbers behind it.
CREATE TABLE diagnosis (
    scope VARCHAR NOT NULL,
    scope_name VARCHAR,
    failure VARCHAR NOT NULL,
    indicator VARCHAR NOT NULL,
    value DOUBLE,
    reference DOUBLE,
    verdict VARCHAR NOT NULL CHECK (verdict IN ('weak', 'watch', 'sound', 'not_judged')),
    explanation VARCHAR NOT NULL,
    params VARCHAR NOT NULL,
    computed_at TIMESTAMP NOT NULL
);

-- One row per analysis run: what it was computed on (data_version) and with which parameters.
CREATE TABLE analysis_runs (
    computed_at TIMESTAMP NOT NULL,
    data_version BIGINT NOT NULL,
    params VARCHAR NOT NULL,
    seconds DOUBLE NOT NULL,
    summary VARCHAR NOT NULL
);

-- Partner suggestions, written by `ecograph partners ACTOR_ID` (graph/analysis/partners.py): the ranked
-- suggestions for one actor (`for_actor`), replaced each time that actor is asked for. Lists of
-- names and of the introduction path's actor ids are VARCHAR[] (path from for_actor to actor_id).
CREATE TABLE partner_suggestions (
    for_actor VARCHAR NOT NULL,
    rank INTEGER NOT NULL,
    actor_id VARCHAR NOT NULL,
    name VARCHAR,
    kind VARCHAR,
    helix VARCHAR,
    municipality VARCHAR,
    score DOUBLE NOT NULL,
    topology DOUBLE NOT NULL,
    complementarity DOUBLE NOT NULL,
    gap_bonus DOUBLE NOT NULL,
    common_partners VARCHAR[] NOT NULL,
    shared_areas VARCHAR[] NOT NULL,
    closes_gap VARCHAR,
    explanation VARCHAR NOT NULL,
    introduction_path VARCHAR[] NOT NULL,
    introduction_names VARCHAR[] NOT NULL,
    params VARCHAR NOT NULL,
    computed_at TIMESTAMP NOT NULL
);

-- Analysis results cached by graph/store/cache.py, keyed by a hash of the data and the parameters:
-- one row per results table of an analysis, as Parquet bytes.
CREATE TABLE analysis_cache (
    cache_key VARCHAR NOT NULL,
    table_name VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL,
    params VARCHAR NOT NULL,
    payload BLOB NOT NULL,
    PRIMARY KEY (cache_key, table_name)
);

-- The change log (graph/history/): one row per change of the data — an import, a merge, a
-- dismissal, a deletion, a revert, a restore, a write through SQL — with who made it (an
-- editor of the app, or `cli:<OS user>`), when it was recorded (UTC) and what it was. Record
-- time is when ecograph learned a fact, not the dates of the activities themselves.
-- Each data table T (and match_candidates) has a table T_versions, created by graph/history
-- with T's columns plus valid_from and valid_to (change ids; valid_to NULL = still current):
-- a row version is valid from the change that wrote it up to the change that replaced or
-- removed it, so a snapshot is one row here and the data as it was is a filter.
CREATE TABLE changes (
    change_id BIGINT PRIMARY KEY,
    kind VARCHAR NOT NULL,
    who VARCHAR NOT NULL,
    recorded_at TIMESTAMP NOT NULL,
    what VARCHAR NOT NULL,
    -- the change this one reverts (undo), and the change that reverted this one
    reverts BIGINT,
    reverted_by BIGINT
);

-- Rows added, changed and removed per table by each change.
CREATE TABLE change_tables (
    change_id BIGINT NOT NULL,
    table_name VARCHAR NOT NULL,
    added BIGINT NOT NULL,
    changed BIGINT NOT NULL,
    removed BIGINT NOT NULL,
    PRIMARY KEY (change_id, table_name)
);

-- Named waves ("review 2026 H2"): the data as recorded up to and including change_id.
CREATE TABLE snapshots (
    name VARCHAR PRIMARY KEY CHECK (name <> ''),
    change_id BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    who VARCHAR NOT NULL,
    note VARCHAR
);
