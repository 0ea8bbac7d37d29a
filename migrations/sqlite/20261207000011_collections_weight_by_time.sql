-- The console's kilogram figures (the last 30 days, twelve weeks of totals)
-- read recorded_at and centikg of the collections in a time range: with
-- both in the index they are read from it alone, without visiting the
-- table's rows. It replaces the index on recorded_at, its prefix.
CREATE INDEX collections_time_weight ON collections (recorded_at, centikg);
DROP INDEX collections_time;
