-- Complaints. Each row holds the complaint and its whole event history as the library's JSON,
-- beside columns derived from that history whenever it is saved: what it is selected and grouped
-- by, when it was received, acknowledged and closed, its business resolution time on its
-- policy's calendar, and the deadline of each open target (NULL when met, when the clock stands
-- still with time left, or when the policy sets no such target). The SLA policy kept on a case
-- is stored once per distinct policy, keyed by a hash of its JSON, and named by the case.
CREATE TABLE sla_policies (
    key TEXT PRIMARY KEY,
    record TEXT NOT NULL
);
CREATE TABLE complaints (
    id TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    customer_id TEXT REFERENCES customers (id),
    store_id TEXT NOT NULL,
    channel TEXT NOT NULL,
    category TEXT NOT NULL,
    state TEXT NOT NULL,
    is_open INTEGER NOT NULL,
    received_us INTEGER NOT NULL,
    acknowledged_us INTEGER,
    closed_us INTEGER,
    remedy_requested TEXT,
    remedy_offered TEXT,
    root_cause TEXT,
    repeat_of TEXT,
    sla_policy_id TEXT,
    sla_policy_key TEXT,
    resolution_us INTEGER,
    acknowledgement_due_us INTEGER,
    resolution_due_us INTEGER,
    record TEXT NOT NULL
);
CREATE INDEX complaints_received ON complaints (received_us, id);
CREATE INDEX complaints_customer ON complaints (customer_id, received_us, id);
CREATE INDEX complaints_acknowledgement_due ON complaints (acknowledgement_due_us, id)
    WHERE acknowledgement_due_us IS NOT NULL;
CREATE INDEX complaints_resolution_due ON complaints (resolution_due_us, id)
    WHERE resolution_due_us IS NOT NULL;
