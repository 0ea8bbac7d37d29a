-- Failed sign-in counters per realm, by account (email) and by client
-- address, with a temporary lock. Rows decay: a quiet key starts over.
CREATE TABLE sign_in_throttle (
    realm TEXT NOT NULL CHECK (realm IN ('user', 'admin')),
    kind TEXT NOT NULL CHECK (kind IN ('account', 'address')),
    subject TEXT NOT NULL,
    failures BIGINT NOT NULL,
    locked_until BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (realm, kind, subject)
);
