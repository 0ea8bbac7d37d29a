-- Kilograms collected per day (Philippine time, UTC+8, no daylight saving:
-- a day starts at local midnight, `starts_at` in Unix seconds), kept with
-- each collection in its own transaction. The console's twelve-week chart
-- and its month's total read at most 84 of these rows, however many
-- collections a busy programme records in those weeks.
CREATE TABLE collection_days (
    starts_at BIGINT PRIMARY KEY,
    centikg BIGINT NOT NULL CHECK (centikg >= 0)
);
INSERT INTO collection_days (starts_at, centikg)
    SELECT ((recorded_at + 28800) / 86400) * 86400 - 28800, CAST(SUM(centikg) AS BIGINT)
    FROM collections GROUP BY ((recorded_at + 28800) / 86400);
