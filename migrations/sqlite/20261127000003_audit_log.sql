-- Who did what, when, from where: sign-ins and their failures, lockouts,
-- sign-outs, revocations, approvals. Never a password, token or session id.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at BIGINT NOT NULL,
    realm TEXT NOT NULL CHECK (realm IN ('user', 'admin')),
    kind TEXT NOT NULL,
    outcome TEXT NOT NULL,
    account_id BIGINT,
    account_email TEXT NOT NULL DEFAULT '',
    actor_admin_id BIGINT,
    client_ip TEXT NOT NULL DEFAULT '',
    user_agent TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_realm_kind ON audit_log (realm, kind, at);
