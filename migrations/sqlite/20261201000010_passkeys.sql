-- Passkeys (WebAuthn) of the accounts of each realm. A credential is found
-- by its id within one realm only: a resident's passkey never signs anyone
-- in to the staff realm, whoever holds it. `user_handle` is the random id
-- the authenticator keeps for the account (the same for all of an
-- account's passkeys); `passkey` is the credential as webauthn-rs stores
-- it (public key, signature counter), as JSON.
CREATE TABLE passkeys (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    realm TEXT NOT NULL CHECK (realm IN ('user', 'admin')),
    account_id BIGINT NOT NULL,
    credential_id TEXT NOT NULL,
    user_handle TEXT NOT NULL,
    name TEXT NOT NULL,
    passkey TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT,
    UNIQUE (realm, credential_id)
);

CREATE INDEX passkeys_account ON passkeys (realm, account_id);

-- WebAuthn ceremonies under way (adding a passkey, signing in with one):
-- webauthn-rs' state of each, for five minutes, under the hash of a token
-- the browser holds. Taken with one DELETE … RETURNING, so a ceremony is
-- finished at most once, on whichever server instance. A sign-in with a
-- passkey starts before anyone is signed in; keeping its state here, and
-- not in a session, means an anonymous request never creates a session.
CREATE TABLE passkey_ceremonies (
    token_hash TEXT PRIMARY KEY,
    realm TEXT NOT NULL CHECK (realm IN ('user', 'admin')),
    purpose TEXT NOT NULL,
    account_id BIGINT,
    name TEXT,
    client_ip TEXT NOT NULL,
    state TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE INDEX passkey_ceremonies_created ON passkey_ceremonies (created_at);
CREATE INDEX passkey_ceremonies_client ON passkey_ceremonies (client_ip, created_at);
