-- Review cycles: each row holds the cycle, its inputs and decisions, as the library's JSON
-- beside the columns it is selected by (its status and the instants its period starts and
-- ends, in microseconds since 1970 UTC). Cycles are read ordered by id.
CREATE TABLE reviews (
    id TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    status TEXT NOT NULL,
    start_us INTEGER NOT NULL,
    end_us INTEGER NOT NULL,
    record TEXT NOT NULL
);
