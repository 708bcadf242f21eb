-- Service pledges, versioned like customers: each row holds the pledge, every version of it, as
-- the library's JSON beside the columns it is selected by (its current version's measure, the
-- instant its first version takes effect and the instant it is withdrawn, in microseconds since
-- 1970 UTC; NULL while it is not withdrawn). Pledges are read ordered by id.
CREATE TABLE pledges (
    id TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    measure TEXT NOT NULL,
    effective_us INTEGER NOT NULL,
    ends_us INTEGER,
    record TEXT NOT NULL
);
