-- Throttle counters are counted before the password work, in one atomic
-- statement, and now also keyed by account *and* client address (a lock
-- that one address earns never refuses the owner elsewhere); registration
-- is throttled per address. `noted_until` remembers up to when a lock's
-- refusals were already audited (one audit row per lock period). Counters
-- are short-lived, so the table is rebuilt.
DROP TABLE sign_in_throttle;
CREATE TABLE sign_in_throttle (
    realm TEXT NOT NULL CHECK (realm IN ('user', 'admin')),
    kind TEXT NOT NULL CHECK (kind IN (
        'account', 'address', 'account_address',
        'reset_account', 'reset_address', 'register_address'
    )),
    subject TEXT NOT NULL,
    failures BIGINT NOT NULL,
    locked_until BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    noted_until BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (realm, kind, subject)
);

-- One live reset link per account and realm: a new request replaces the
-- earlier link. Outstanding links (one hour at most) are voided once here.
DELETE FROM password_resets;
CREATE UNIQUE INDEX password_resets_one_per_account ON password_resets (realm, account_id);
