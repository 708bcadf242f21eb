-- What a contact centre and a shop floor record of an interaction: its kind and direction,
-- the products recommended (a JSON list of ids), when staff first answered and when it was
-- closed (instant, zone and offset, like occurred_*), the call timings in microseconds,
-- whether the call was abandoned, whether it was resolved at first contact (NULL: unknown),
-- and the customer's feedback. Rows stored before read as inbound enquiries, not abandoned,
-- with their status as stored.
ALTER TABLE interactions ADD COLUMN kind TEXT NOT NULL DEFAULT 'enquiry';
ALTER TABLE interactions ADD COLUMN direction TEXT NOT NULL DEFAULT 'inbound';
ALTER TABLE interactions ADD COLUMN products TEXT;
ALTER TABLE interactions ADD COLUMN first_response_us INTEGER;
ALTER TABLE interactions ADD COLUMN first_response_tz TEXT;
ALTER TABLE interactions ADD COLUMN first_response_offset_us INTEGER;
ALTER TABLE interactions ADD COLUMN closed_us INTEGER;
ALTER TABLE interactions ADD COLUMN closed_tz TEXT;
ALTER TABLE interactions ADD COLUMN closed_offset_us INTEGER;
ALTER TABLE interactions ADD COLUMN queue_us INTEGER;
ALTER TABLE interactions ADD COLUMN talk_us INTEGER;
ALTER TABLE interactions ADD COLUMN hold_us INTEGER;
ALTER TABLE interactions ADD COLUMN after_call_us INTEGER;
ALTER TABLE interactions ADD COLUMN abandoned INTEGER NOT NULL DEFAULT 0;
ALTER TABLE interactions ADD COLUMN resolved_first_contact INTEGER;
ALTER TABLE interactions ADD COLUMN feedback TEXT NOT NULL DEFAULT '';
CREATE INDEX interactions_kind ON interactions (kind, occurred_us);
CREATE INDEX interactions_direction ON interactions (direction, occurred_us);
