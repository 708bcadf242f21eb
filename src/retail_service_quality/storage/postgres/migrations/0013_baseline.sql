-- The schema at version 13, the version at which PostgreSQL stores begin: the same tables,
-- columns and indexes as a SQLite store of that version (see the SQLite migrations for what each
-- column holds). Instants are BIGINT microseconds since 1970 UTC; flags are 0 or 1; text compares
-- by code point (COLLATE "C"), as in SQLite and Python; records are the library's JSON as text.

CREATE TABLE customers (
    id TEXT COLLATE "C" PRIMARY KEY,
    version BIGINT NOT NULL,
    home_store_id TEXT COLLATE "C",
    tier TEXT COLLATE "C" NOT NULL,
    created_us BIGINT NOT NULL,
    created_tz TEXT COLLATE "C" NOT NULL,
    created_offset_us BIGINT,
    contacts TEXT COLLATE "C" NOT NULL DEFAULT '[]',
    name TEXT COLLATE "C",
    preferred_channel TEXT COLLATE "C",
    preferred_language TEXT COLLATE "C",
    tier_joined_on TEXT COLLATE "C",
    join_method TEXT COLLATE "C",
    date_of_birth TEXT COLLATE "C",
    preferences TEXT COLLATE "C" NOT NULL DEFAULT '[]',
    staff_notes TEXT COLLATE "C",
    erased_us BIGINT,
    erased_tz TEXT COLLATE "C",
    erased_offset_us BIGINT
);
CREATE INDEX customers_home_store ON customers (home_store_id);
CREATE INDEX customers_tier ON customers (tier);
CREATE INDEX customers_created ON customers (created_us);
CREATE TABLE interactions (
    id TEXT COLLATE "C" PRIMARY KEY,
    version BIGINT NOT NULL,
    store_id TEXT COLLATE "C" NOT NULL,
    channel TEXT COLLATE "C" NOT NULL,
    occurred_us BIGINT NOT NULL,
    occurred_tz TEXT COLLATE "C" NOT NULL,
    customer_id TEXT COLLATE "C" REFERENCES customers (id),
    status TEXT COLLATE "C" NOT NULL,
    subject TEXT COLLATE "C" NOT NULL,
    needs TEXT COLLATE "C",
    handle_us BIGINT,
    agent_id TEXT COLLATE "C",
    notes TEXT COLLATE "C" NOT NULL,
    occurred_offset_us BIGINT,
    kind TEXT COLLATE "C" NOT NULL DEFAULT 'enquiry',
    direction TEXT COLLATE "C" NOT NULL DEFAULT 'inbound',
    products TEXT COLLATE "C",
    first_response_us BIGINT,
    first_response_tz TEXT COLLATE "C",
    first_response_offset_us BIGINT,
    closed_us BIGINT,
    closed_tz TEXT COLLATE "C",
    closed_offset_us BIGINT,
    queue_us BIGINT,
    talk_us BIGINT,
    hold_us BIGINT,
    after_call_us BIGINT,
    abandoned BIGINT NOT NULL DEFAULT 0,
    resolved_first_contact BIGINT,
    feedback TEXT COLLATE "C" NOT NULL DEFAULT ''
);
CREATE INDEX interactions_time ON interactions (occurred_us, id);
CREATE INDEX interactions_store ON interactions (store_id, occurred_us);
CREATE INDEX interactions_channel ON interactions (channel, occurred_us);
CREATE INDEX interactions_customer ON interactions (customer_id, occurred_us);
CREATE INDEX interactions_status ON interactions (status, occurred_us);
CREATE INDEX customers_join_method ON customers (join_method);
CREATE TABLE consent_events (
    customer_id TEXT COLLATE "C" NOT NULL REFERENCES customers (id),
    event_id TEXT COLLATE "C" NOT NULL,
    at_us BIGINT NOT NULL,
    rank BIGINT NOT NULL,
    kind TEXT COLLATE "C" NOT NULL,
    record TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (customer_id, event_id)
);
CREATE INDEX consent_events_order ON consent_events (customer_id, at_us, rank, event_id);
CREATE TABLE data_uses (
    customer_id TEXT COLLATE "C" NOT NULL REFERENCES customers (id),
    event_id TEXT COLLATE "C" NOT NULL,
    at_us BIGINT NOT NULL,
    rank BIGINT NOT NULL,
    kind TEXT COLLATE "C" NOT NULL,
    record TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (customer_id, event_id)
);
CREATE INDEX data_uses_order ON data_uses (customer_id, at_us, rank, event_id);
CREATE TABLE suppression (
    digest TEXT COLLATE "C" NOT NULL,
    scope TEXT COLLATE "C" NOT NULL,
    added_us BIGINT NOT NULL,
    record TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (digest, scope, added_us)
);
CREATE TABLE privacy_requests (
    id TEXT COLLATE "C" PRIMARY KEY,
    version BIGINT NOT NULL,
    customer_id TEXT COLLATE "C" NOT NULL REFERENCES customers (id),
    received_us BIGINT NOT NULL,
    is_open BIGINT NOT NULL,
    record TEXT COLLATE "C" NOT NULL
);
CREATE INDEX privacy_requests_received ON privacy_requests (received_us, id);
CREATE INDEX privacy_requests_customer ON privacy_requests (customer_id, received_us);
CREATE TABLE legal_holds (
    id TEXT COLLATE "C" PRIMARY KEY,
    version BIGINT NOT NULL,
    customer_id TEXT COLLATE "C" NOT NULL REFERENCES customers (id),
    record TEXT COLLATE "C" NOT NULL
);
CREATE INDEX legal_holds_customer ON legal_holds (customer_id, id);
CREATE INDEX interactions_kind ON interactions (kind, occurred_us);
CREATE INDEX interactions_direction ON interactions (direction, occurred_us);
CREATE TABLE sla_policies (
    key TEXT COLLATE "C" PRIMARY KEY,
    record TEXT COLLATE "C" NOT NULL
);
CREATE TABLE complaints (
    id TEXT COLLATE "C" PRIMARY KEY,
    version BIGINT NOT NULL,
    customer_id TEXT COLLATE "C" REFERENCES customers (id),
    store_id TEXT COLLATE "C" NOT NULL,
    channel TEXT COLLATE "C" NOT NULL,
    category TEXT COLLATE "C" NOT NULL,
    state TEXT COLLATE "C" NOT NULL,
    is_open BIGINT NOT NULL,
    received_us BIGINT NOT NULL,
    acknowledged_us BIGINT,
    closed_us BIGINT,
    remedy_requested TEXT COLLATE "C",
    remedy_offered TEXT COLLATE "C",
    root_cause TEXT COLLATE "C",
    repeat_of TEXT COLLATE "C",
    sla_policy_id TEXT COLLATE "C",
    sla_policy_key TEXT COLLATE "C",
    resolution_us BIGINT,
    acknowledgement_due_us BIGINT,
    resolution_due_us BIGINT,
    record TEXT COLLATE "C" NOT NULL
);
CREATE INDEX complaints_received ON complaints (received_us, id);
CREATE INDEX complaints_customer ON complaints (customer_id, received_us, id);
CREATE INDEX complaints_acknowledgement_due ON complaints (acknowledgement_due_us, id) WHERE acknowledgement_due_us IS NOT NULL;
CREATE INDEX complaints_resolution_due ON complaints (resolution_due_us, id) WHERE resolution_due_us IS NOT NULL;
CREATE TABLE pledges (
    id TEXT COLLATE "C" PRIMARY KEY,
    version BIGINT NOT NULL,
    measure TEXT COLLATE "C" NOT NULL,
    effective_us BIGINT NOT NULL,
    ends_us BIGINT,
    record TEXT COLLATE "C" NOT NULL
);
CREATE TABLE survey_instruments (
    id TEXT COLLATE "C" NOT NULL,
    edition BIGINT NOT NULL,
    record TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (id, edition)
);
CREATE TABLE survey_responses (
    id TEXT COLLATE "C" PRIMARY KEY,
    version BIGINT NOT NULL,
    instrument_id TEXT COLLATE "C" NOT NULL,
    edition BIGINT NOT NULL,
    received_us BIGINT NOT NULL,
    store_id TEXT COLLATE "C" NOT NULL,
    channel TEXT COLLATE "C" NOT NULL,
    staff_id TEXT COLLATE "C",
    customer_id TEXT COLLATE "C",
    answers TEXT COLLATE "C" NOT NULL,
    record TEXT COLLATE "C" NOT NULL,
    FOREIGN KEY (instrument_id, edition) REFERENCES survey_instruments (id, edition)
);
CREATE INDEX survey_responses_received ON survey_responses (received_us, id, instrument_id, store_id, channel, staff_id, answers);
CREATE INDEX survey_responses_customer ON survey_responses (customer_id);
CREATE TABLE documents (
    id TEXT COLLATE "C" PRIMARY KEY,
    version BIGINT NOT NULL,
    kind TEXT COLLATE "C" NOT NULL,
    effective_us BIGINT NOT NULL,
    ends_us BIGINT,
    record TEXT COLLATE "C" NOT NULL
);
CREATE TABLE actions (
    id TEXT COLLATE "C" PRIMARY KEY,
    version BIGINT NOT NULL,
    status TEXT COLLATE "C" NOT NULL,
    owner TEXT COLLATE "C" NOT NULL,
    due_day BIGINT NOT NULL,
    finding_id TEXT COLLATE "C",
    record TEXT COLLATE "C" NOT NULL
);
CREATE INDEX actions_finding ON actions (finding_id);
CREATE TABLE training_competencies (
    id TEXT COLLATE "C" PRIMARY KEY,
    version BIGINT NOT NULL,
    record TEXT COLLATE "C" NOT NULL
);
CREATE TABLE training_requirements (
    id TEXT COLLATE "C" PRIMARY KEY,
    version BIGINT NOT NULL,
    role TEXT COLLATE "C" NOT NULL,
    competency_id TEXT COLLATE "C" NOT NULL,
    record TEXT COLLATE "C" NOT NULL
);
CREATE INDEX training_requirements_role ON training_requirements (role, competency_id);
CREATE TABLE training_competence (
    id TEXT COLLATE "C" PRIMARY KEY,
    version BIGINT NOT NULL,
    staff_id TEXT COLLATE "C" NOT NULL,
    competency_id TEXT COLLATE "C" NOT NULL,
    record TEXT COLLATE "C" NOT NULL
);
CREATE INDEX training_competence_staff ON training_competence (staff_id, competency_id);
CREATE TABLE training_programmes (
    id TEXT COLLATE "C" PRIMARY KEY,
    version BIGINT NOT NULL,
    record TEXT COLLATE "C" NOT NULL
);
CREATE TABLE training_sessions (
    id TEXT COLLATE "C" PRIMARY KEY,
    version BIGINT NOT NULL,
    programme_id TEXT COLLATE "C" NOT NULL,
    record TEXT COLLATE "C" NOT NULL
);
CREATE INDEX training_sessions_programme ON training_sessions (programme_id);
CREATE TABLE training_attendance (
    id TEXT COLLATE "C" PRIMARY KEY,
    version BIGINT NOT NULL,
    session_id TEXT COLLATE "C" NOT NULL,
    staff_id TEXT COLLATE "C" NOT NULL,
    record TEXT COLLATE "C" NOT NULL
);
CREATE INDEX training_attendance_session ON training_attendance (session_id);
CREATE INDEX training_attendance_staff ON training_attendance (staff_id);
CREATE TABLE award_schemes (
    id TEXT COLLATE "C" PRIMARY KEY,
    version BIGINT NOT NULL,
    level TEXT COLLATE "C" NOT NULL,
    indicator_id TEXT COLLATE "C" NOT NULL,
    record TEXT COLLATE "C" NOT NULL
);
CREATE TABLE award_results (
    id TEXT COLLATE "C" PRIMARY KEY,
    scheme_id TEXT COLLATE "C" NOT NULL,
    record TEXT COLLATE "C" NOT NULL
);
CREATE INDEX award_results_scheme ON award_results (scheme_id, id);
CREATE TABLE reviews (
    id TEXT COLLATE "C" PRIMARY KEY,
    version BIGINT NOT NULL,
    status TEXT COLLATE "C" NOT NULL,
    start_us BIGINT NOT NULL,
    end_us BIGINT NOT NULL,
    record TEXT COLLATE "C" NOT NULL
);
