-- Survey instruments, one row per edition, as the library's JSON; an edition is never changed.
CREATE TABLE survey_instruments (
    id TEXT NOT NULL,
    edition INTEGER NOT NULL,
    record TEXT NOT NULL,
    PRIMARY KEY (id, edition)
);
-- Survey responses: the response as the library's JSON (its free-text comments included, which
-- erasure rewrites) beside the columns they are selected and counted by: the instant received
-- (microseconds since 1970 UTC), the store, channel and member of staff, the customer (only with
-- consent) and the closed answers alone, as a JSON object of question id to integer.
CREATE TABLE survey_responses (
    id TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    instrument_id TEXT NOT NULL,
    edition INTEGER NOT NULL,
    received_us INTEGER NOT NULL,
    store_id TEXT NOT NULL,
    channel TEXT NOT NULL,
    staff_id TEXT,
    customer_id TEXT,
    answers TEXT NOT NULL,
    record TEXT NOT NULL,
    FOREIGN KEY (instrument_id, edition) REFERENCES survey_instruments (id, edition)
);
-- Ordered by the instant received, then id, as queries read them; the index also holds what the
-- answer counts read, so counting never reads the responses' records.
CREATE INDEX survey_responses_received ON survey_responses (
    received_us, id, instrument_id, store_id, channel, staff_id, answers
);
CREATE INDEX survey_responses_customer ON survey_responses (customer_id);
