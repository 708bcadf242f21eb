-- The privacy records. Ledger events and data uses are append-only rows keyed by customer and
-- event id, each holding the record as the library's JSON beside the columns it is ordered and
-- selected by (rank: the record type's place among records at one instant). Requests and legal
-- holds are versioned like customers. Suppression entries name no customer; a contact point listed again keeps each listing.
CREATE TABLE consent_events (
    customer_id TEXT NOT NULL REFERENCES customers (id),
    event_id TEXT NOT NULL,
    at_us INTEGER NOT NULL,
    rank INTEGER NOT NULL,
    kind TEXT NOT NULL,
    record TEXT NOT NULL,
    PRIMARY KEY (customer_id, event_id)
);
CREATE INDEX consent_events_order ON consent_events (customer_id, at_us, rank, event_id);
CREATE TABLE data_uses (
    customer_id TEXT NOT NULL REFERENCES customers (id),
    event_id TEXT NOT NULL,
    at_us INTEGER NOT NULL,
    rank INTEGER NOT NULL,
    kind TEXT NOT NULL,
    record TEXT NOT NULL,
    PRIMARY KEY (customer_id, event_id)
);
CREATE INDEX data_uses_order ON data_uses (customer_id, at_us, rank, event_id);
CREATE TABLE suppression (
    digest TEXT NOT NULL,
    scope TEXT NOT NULL,
    added_us INTEGER NOT NULL,
    record TEXT NOT NULL,
    PRIMARY KEY (digest, scope, added_us)
);
CREATE TABLE privacy_requests (
    id TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    customer_id TEXT NOT NULL REFERENCES customers (id),
    received_us INTEGER NOT NULL,
    is_open INTEGER NOT NULL,
    record TEXT NOT NULL
);
CREATE INDEX privacy_requests_received ON privacy_requests (received_us, id);
CREATE INDEX privacy_requests_customer ON privacy_requests (customer_id, received_us);
CREATE TABLE legal_holds (
    id TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    customer_id TEXT NOT NULL REFERENCES customers (id),
    record TEXT NOT NULL
);
CREATE INDEX legal_holds_customer ON legal_holds (customer_id, id);
