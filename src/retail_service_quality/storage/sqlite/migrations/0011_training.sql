-- Training records, one table per kind, each row the record as the library's JSON beside its
-- id, its version (optimistic saves) and the identifiers it is selected by. Records refer to
-- each other by id only. Staff members appear by id, never by name. Read ordered by id.
CREATE TABLE training_competencies (
    id TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    record TEXT NOT NULL
);
CREATE TABLE training_requirements (
    id TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    role TEXT NOT NULL,
    competency_id TEXT NOT NULL,
    record TEXT NOT NULL
);
CREATE INDEX training_requirements_role ON training_requirements (role, competency_id);
CREATE TABLE training_competence (
    id TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    staff_id TEXT NOT NULL,
    competency_id TEXT NOT NULL,
    record TEXT NOT NULL
);
CREATE INDEX training_competence_staff ON training_competence (staff_id, competency_id);
CREATE TABLE training_programmes (
    id TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    record TEXT NOT NULL
);
CREATE TABLE training_sessions (
    id TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    programme_id TEXT NOT NULL,
    record TEXT NOT NULL
);
CREATE INDEX training_sessions_programme ON training_sessions (programme_id);
CREATE TABLE training_attendance (
    id TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    session_id TEXT NOT NULL,
    staff_id TEXT NOT NULL,
    record TEXT NOT NULL
);
CREATE INDEX training_attendance_session ON training_attendance (session_id);
CREATE INDEX training_attendance_staff ON training_attendance (staff_id);
