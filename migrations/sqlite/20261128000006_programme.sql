-- The programme (SPEC §4): waste types, collection schedules, collections,
-- the points ledger, rewards and redemptions, resident notifications.
-- Points are whole numbers; weights are hundredths of a kilogram.

CREATE TABLE waste_types (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    points_per_kg BIGINT NOT NULL CHECK (points_per_kg >= 0),
    active BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL
);

INSERT INTO waste_types (name, points_per_kg, active, created_at) VALUES
    ('PET bottles', 10, 1, 0),
    ('Paper and cardboard', 5, 1, 0),
    ('Metal cans', 15, 1, 0),
    ('Glass bottles', 4, 1, 0),
    ('E-waste', 25, 1, 0),
    ('Residual waste', 1, 1, 0);

-- Which weekdays (1 = Monday … 7 = Sunday) each barangay is collected.
CREATE TABLE collection_schedules (
    barangay_id BIGINT NOT NULL REFERENCES barangays (id),
    weekday BIGINT NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    note TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (barangay_id, weekday)
);

-- Two collection days per barangay, spread over the week.
INSERT INTO collection_schedules (barangay_id, weekday, note)
    SELECT id, ((id - 1) % 6) + 1, 'Recyclables' FROM barangays;
INSERT INTO collection_schedules (barangay_id, weekday, note)
    SELECT id, ((id + 2) % 6) + 1, 'Recyclables and e-waste' FROM barangays;

-- The cached balance; every change to it is a ledger entry in the same
-- transaction, so SUM(delta) over a resident's entries always equals it.
ALTER TABLE residents ADD COLUMN points BIGINT NOT NULL DEFAULT 0 CHECK (points >= 0);

CREATE TABLE collections (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    resident_id BIGINT NOT NULL REFERENCES residents (id),
    waste_type_id BIGINT NOT NULL REFERENCES waste_types (id),
    centikg BIGINT NOT NULL CHECK (centikg > 0),
    points BIGINT NOT NULL CHECK (points >= 0),
    recorded_by BIGINT NOT NULL,
    recorded_at BIGINT NOT NULL
);
CREATE INDEX collections_resident ON collections (resident_id, recorded_at);
CREATE INDEX collections_time ON collections (recorded_at);

CREATE TABLE rewards (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT '',
    cost_points BIGINT NOT NULL CHECK (cost_points > 0),
    stock BIGINT NOT NULL CHECK (stock >= 0),
    active BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL
);

CREATE TABLE redemptions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    resident_id BIGINT NOT NULL REFERENCES residents (id),
    reward_id BIGINT NOT NULL REFERENCES rewards (id),
    cost_points BIGINT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'fulfilled', 'cancelled')),
    created_at BIGINT NOT NULL,
    decided_at BIGINT,
    decided_by BIGINT
);
CREATE INDEX redemptions_status ON redemptions (status, created_at);
CREATE INDEX redemptions_resident ON redemptions (resident_id, created_at);

CREATE TABLE points_ledger (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    resident_id BIGINT NOT NULL REFERENCES residents (id),
    delta BIGINT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('collection', 'redemption', 'refund', 'correction')),
    collection_id BIGINT REFERENCES collections (id),
    redemption_id BIGINT REFERENCES redemptions (id),
    note TEXT NOT NULL DEFAULT '',
    created_by BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX points_ledger_resident ON points_ledger (resident_id, id);

CREATE TABLE notifications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    resident_id BIGINT NOT NULL REFERENCES residents (id),
    message TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX notifications_resident ON notifications (resident_id, id);
