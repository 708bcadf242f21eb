-- The first schema: customers and service interactions, with the columns queries filter on.
CREATE TABLE customers (
    id TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    name TEXT NOT NULL,
    email TEXT,
    phone TEXT,
    home_store_id TEXT,
    tier TEXT NOT NULL,
    created_us INTEGER NOT NULL,
    created_tz TEXT NOT NULL
);
CREATE INDEX customers_home_store ON customers (home_store_id);
CREATE INDEX customers_tier ON customers (tier);
CREATE INDEX customers_created ON customers (created_us);
CREATE TABLE interactions (
    id TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    store_id TEXT NOT NULL,
    channel TEXT NOT NULL,
    occurred_us INTEGER NOT NULL,
    occurred_tz TEXT NOT NULL,
    customer_id TEXT REFERENCES customers (id),
    status TEXT NOT NULL,
    subject TEXT NOT NULL,
    needs TEXT,
    handle_us INTEGER,
    agent_id TEXT,
    notes TEXT NOT NULL
);
CREATE INDEX interactions_time ON interactions (occurred_us, id);
CREATE INDEX interactions_store ON interactions (store_id, occurred_us);
CREATE INDEX interactions_channel ON interactions (channel, occurred_us);
CREATE INDEX interactions_customer ON interactions (customer_id, occurred_us);
CREATE INDEX interactions_status ON interactions (status, occurred_us);
