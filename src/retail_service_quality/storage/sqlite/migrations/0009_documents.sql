-- Controlled documents (service standards, procedures, duties of a role), versioned like
-- pledges: each row holds the document, every version of it, as the library's JSON beside the
-- columns it is selected by (its kind, the instant its first version takes effect and the
-- instant it is withdrawn, in microseconds since 1970 UTC; NULL while it is not withdrawn).
-- Documents are read ordered by id.
CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    kind TEXT NOT NULL,
    effective_us INTEGER NOT NULL,
    ends_us INTEGER,
    record TEXT NOT NULL
);
