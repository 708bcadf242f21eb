-- Award schemes, each row holding the scheme (its eligibility rules included) as the library's
-- JSON beside the columns it is selected by: the candidates' level and the indicator ranked on.
-- Saved with optimistic concurrency like pledges; read ordered by id.
CREATE TABLE award_schemes (
    id TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    level TEXT NOT NULL,
    indicator_id TEXT NOT NULL,
    record TEXT NOT NULL
);

-- Published awards, kept as they were given (added once, never changed): the library's JSON
-- beside the scheme they were given under. Read ordered by id.
CREATE TABLE award_results (
    id TEXT PRIMARY KEY,
    scheme_id TEXT NOT NULL,
    record TEXT NOT NULL
);

CREATE INDEX award_results_scheme ON award_results (scheme_id, id);
