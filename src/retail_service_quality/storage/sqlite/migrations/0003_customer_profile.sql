-- The customer profile: contact points by kind (a JSON list of {"kind", "value"}), preferred
-- channel and language, how and when the customer joined the tier, date of birth, preferences
-- (a JSON list), staff notes, and when the record was anonymised. The name becomes optional.
-- An email or phone stored before carries over, trimmed, as an email or mobile_number contact.
-- Needs SQLite 3.35 or later (ALTER TABLE DROP COLUMN) and its JSON functions.
ALTER TABLE customers ADD COLUMN contacts TEXT NOT NULL DEFAULT '[]';
UPDATE customers SET contacts = (
    SELECT json_group_array(json(point)) FROM (
        SELECT 1 AS position, json_object('kind', 'email', 'value', trim(email)) AS point
        WHERE email IS NOT NULL AND trim(email) <> ''
        UNION ALL
        SELECT 2, json_object('kind', 'mobile_number', 'value', trim(phone))
        WHERE phone IS NOT NULL AND trim(phone) <> ''
        ORDER BY position
    )
);
ALTER TABLE customers DROP COLUMN email;
ALTER TABLE customers DROP COLUMN phone;
ALTER TABLE customers ADD COLUMN given_name TEXT;
UPDATE customers SET given_name = name;
ALTER TABLE customers DROP COLUMN name;
ALTER TABLE customers RENAME COLUMN given_name TO name;
ALTER TABLE customers ADD COLUMN preferred_channel TEXT;
ALTER TABLE customers ADD COLUMN preferred_language TEXT;
ALTER TABLE customers ADD COLUMN tier_joined_on TEXT;
ALTER TABLE customers ADD COLUMN join_method TEXT;
ALTER TABLE customers ADD COLUMN date_of_birth TEXT;
ALTER TABLE customers ADD COLUMN preferences TEXT NOT NULL DEFAULT '[]';
ALTER TABLE customers ADD COLUMN staff_notes TEXT;
ALTER TABLE customers ADD COLUMN erased_us INTEGER;
ALTER TABLE customers ADD COLUMN erased_tz TEXT;
ALTER TABLE customers ADD COLUMN erased_offset_us INTEGER;
CREATE INDEX customers_join_method ON customers (join_method);
