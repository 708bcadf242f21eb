-- The UTC offset (microseconds) of every stored datetime, beside its instant and zone name:
-- a row whose zone this machine's tz database lacks is still read, at its recorded offset.
-- rsq_utc_offset_us(instant_us, zone_name) is supplied by the library while it migrates.
ALTER TABLE customers ADD COLUMN created_offset_us INTEGER;
UPDATE customers SET created_offset_us = rsq_utc_offset_us(created_us, created_tz);
ALTER TABLE interactions ADD COLUMN occurred_offset_us INTEGER;
UPDATE interactions SET occurred_offset_us = rsq_utc_offset_us(occurred_us, occurred_tz);
