-- Password reset links. Only a SHA-256 of each token is kept; the row ties
-- the link to the password it was issued against (a fingerprint of its
-- hash), so any password change voids it.
CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY,
    realm TEXT NOT NULL CHECK (realm IN ('user', 'admin')),
    account_id BIGINT NOT NULL,
    password_fingerprint TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);

CREATE INDEX password_resets_account ON password_resets (realm, account_id);

-- Reset requests are throttled like sign-ins, in the same table. Counters
-- are short-lived, so the table is simply rebuilt with the wider CHECK.
DROP TABLE sign_in_throttle;
CREATE TABLE sign_in_throttle (
    realm TEXT NOT NULL CHECK (realm IN ('user', 'admin')),
    kind TEXT NOT NULL CHECK (kind IN ('account', 'address', 'reset_account', 'reset_address')),
    subject TEXT NOT NULL,
    failures BIGINT NOT NULL,
    locked_until BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (realm, kind, subject)
);
