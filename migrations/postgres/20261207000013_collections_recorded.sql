-- Collections ever recorded, as a running total beside points_issued: the
-- staff list of all collections shows how many there are (its pages) on
-- every view, and counting them would read the whole table each time.
ALTER TABLE programme_totals ADD COLUMN collections_recorded BIGINT NOT NULL DEFAULT 0;
UPDATE programme_totals SET collections_recorded = (SELECT COUNT(*) FROM collections) WHERE id = 1;
