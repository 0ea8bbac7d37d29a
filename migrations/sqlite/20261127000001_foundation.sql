-- Eko foundation: the two realms' accounts, their sessions, and the
-- barangays of San Pedro City, Laguna. Times are Unix seconds.

CREATE TABLE barangays (
    id BIGINT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

INSERT INTO barangays (id, name) VALUES
    (1, 'Bagong Silang'),
    (2, 'Calendola'),
    (3, 'Chrysanthemum'),
    (4, 'Cuyab'),
    (5, 'Estrella'),
    (6, 'Fatima'),
    (7, 'G.S.I.S.'),
    (8, 'Landayan'),
    (9, 'Langgam'),
    (10, 'Laram'),
    (11, 'Magsaysay'),
    (12, 'Maharlika'),
    (13, 'Narra'),
    (14, 'Nueva'),
    (15, 'Pacita 1'),
    (16, 'Pacita 2'),
    (17, 'Poblacion'),
    (18, 'Riverside'),
    (19, 'Rosario'),
    (20, 'Sampaguita Village'),
    (21, 'San Antonio'),
    (22, 'San Lorenzo Ruiz'),
    (23, 'San Roque'),
    (24, 'San Vicente'),
    (25, 'Santo Niño'),
    (26, 'United Bayanihan'),
    (27, 'United Better Living');

-- user realm accounts
CREATE TABLE residents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    barangay_id BIGINT NOT NULL REFERENCES barangays (id),
    password_hash TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'approved', 'rejected', 'suspended')),
    created_at BIGINT NOT NULL,
    reviewed_at BIGINT,
    reviewed_by BIGINT,
    review_note TEXT
);
CREATE INDEX residents_status ON residents (status, created_at);

-- admin realm accounts
CREATE TABLE admins (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL
        CHECK (role IN ('super_admin', 'operations_manager', 'content_rewards_manager', 'security_analyst')),
    password_hash TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
    must_change_password BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);

-- Sessions of both realms. The cookie's session id is never stored, only
-- its SHA-256; realm and account are columns so one account's or one
-- realm's sessions can be listed and revoked.
CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    realm TEXT NOT NULL CHECK (realm IN ('user', 'admin')),
    account_id BIGINT,
    data TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    absolute_expires_at BIGINT NOT NULL,
    user_agent TEXT NOT NULL DEFAULT '',
    client_ip TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_account ON sessions (realm, account_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);
