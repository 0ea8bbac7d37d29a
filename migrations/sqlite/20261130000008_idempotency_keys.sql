-- Staff write forms (record a collection, correct points, hand over) and a
-- resident's redemption carry a key made when the form was shown. The key
-- is stored in the same transaction as the write it guards, with the
-- answer: the same key again gives that answer and no second effect, also
-- after a restart or on another instance. Kept for a day.
CREATE TABLE idempotency_keys (
    realm TEXT NOT NULL CHECK (realm IN ('user', 'admin')),
    account_id BIGINT NOT NULL,
    idempotency_key TEXT NOT NULL,
    endpoint TEXT NOT NULL,
    answer TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (realm, account_id, idempotency_key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
