-- Two-step sign-in: an authenticator app's key per account of a realm, and
-- one-time recovery codes. `last_step` is the TOTP time step of the last
-- code accepted: a code is accepted only for a later step, so none works
-- twice. Recovery codes are kept as SHA-256 hashes and used once.
CREATE TABLE second_factors (
    realm TEXT NOT NULL CHECK (realm IN ('user', 'admin')),
    account_id BIGINT NOT NULL,
    totp_secret TEXT NOT NULL,
    last_step BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (realm, account_id)
);

CREATE TABLE recovery_codes (
    realm TEXT NOT NULL CHECK (realm IN ('user', 'admin')),
    account_id BIGINT NOT NULL,
    code_hash TEXT NOT NULL,
    used_at BIGINT,
    PRIMARY KEY (realm, account_id, code_hash)
);
