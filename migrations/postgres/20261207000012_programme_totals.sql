-- Points credited for collections ever, as a running total: the console
-- shows it on every view, and summing every collection ever recorded
-- would read the whole table each time (years of collections). One row,
-- raised in the same transaction as each collection is recorded.
CREATE TABLE programme_totals (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    points_issued BIGINT NOT NULL CHECK (points_issued >= 0)
);
INSERT INTO programme_totals (id, points_issued)
    SELECT 1, CAST(COALESCE(SUM(points), 0) AS BIGINT) FROM collections;
