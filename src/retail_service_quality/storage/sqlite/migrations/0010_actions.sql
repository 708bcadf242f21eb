-- Improvement and corrective actions, versioned like pledges: each row holds the action, its
-- history of moves included, as the library's JSON beside the columns it is selected by (its
-- status, its owner, its due date as a proleptic Gregorian ordinal, and the id of the finding it
-- answers, NULL when it answers none). Actions are read ordered by id.
CREATE TABLE actions (
    id TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    status TEXT NOT NULL,
    owner TEXT NOT NULL,
    due_day INTEGER NOT NULL,
    finding_id TEXT,
    record TEXT NOT NULL
);
CREATE INDEX actions_finding ON actions (finding_id);
