-- Access tokens, decisions, restrictions, notices and appeals: projections of their events.
-- Lists are stored as comma-separated sorted values; documents and secrets live in tables
-- that are not projections (notice_document, webhook_secret).

CREATE TABLE api_token (
    token_id      VARCHAR(64)  NOT NULL PRIMARY KEY,
    principal_id  VARCHAR(128) NOT NULL,
    roles         VARCHAR(128) NOT NULL,
    customer_id   VARCHAR(128),
    secret_sha256 VARCHAR(64)  NOT NULL UNIQUE,
    expires_at    VARCHAR(32)  NOT NULL,
    revoked       SMALLINT     NOT NULL,
    issued_at     VARCHAR(32)  NOT NULL,
    issued_by     VARCHAR(128) NOT NULL
);

CREATE TABLE decision (
    decision_id     VARCHAR(64)  NOT NULL PRIMARY KEY,
    case_id         VARCHAR(64)  NOT NULL REFERENCES review_case (case_id),
    customer_id     VARCHAR(128) NOT NULL REFERENCES customer (customer_id),
    scope           TEXT         NOT NULL,
    notice_at       VARCHAR(32)  NOT NULL,
    effective_at    VARCHAR(32)  NOT NULL,
    retrieval_until VARCHAR(32)  NOT NULL,
    end_at          VARCHAR(32),
    grounds         TEXT         NOT NULL,
    reason_code     VARCHAR(64)  NOT NULL,
    lifts           VARCHAR(64),
    appeal_until    VARCHAR(32)  NOT NULL,
    state           VARCHAR(16)  NOT NULL,
    lapses_at       VARCHAR(32),
    proposed_by     VARCHAR(128) NOT NULL,
    proposed_at     VARCHAR(32)  NOT NULL,
    event_idx       BIGINT       NOT NULL
);

CREATE TABLE decision_approval (
    decision_id VARCHAR(64)  NOT NULL REFERENCES decision (decision_id),
    approver    VARCHAR(128) NOT NULL,
    at          VARCHAR(32)  NOT NULL,
    event_idx   BIGINT       NOT NULL,
    PRIMARY KEY (decision_id, approver)
);

CREATE TABLE restriction (
    restriction_id  VARCHAR(64)  NOT NULL PRIMARY KEY,
    decision_id     VARCHAR(64)  NOT NULL REFERENCES decision (decision_id),
    case_id         VARCHAR(64)  NOT NULL,
    subscription_id VARCHAR(128) NOT NULL REFERENCES subscription (subscription_id),
    services        TEXT         NOT NULL,
    operations      VARCHAR(128) NOT NULL,
    regions         TEXT         NOT NULL,
    carve_outs      TEXT         NOT NULL,
    notice_at       VARCHAR(32)  NOT NULL,
    effective_at    VARCHAR(32)  NOT NULL,
    retrieval_until VARCHAR(32)  NOT NULL,
    end_at          VARCHAR(32),
    reason_code     VARCHAR(64)  NOT NULL,
    state           VARCHAR(16)  NOT NULL,
    event_idx       BIGINT       NOT NULL
);
CREATE INDEX restriction_subscription ON restriction (subscription_id);

CREATE TABLE webhook (
    customer_id   VARCHAR(128)  NOT NULL PRIMARY KEY REFERENCES customer (customer_id),
    url           VARCHAR(2048) NOT NULL,
    secret_sha256 VARCHAR(64)   NOT NULL,
    event_idx     BIGINT        NOT NULL
);

CREATE TABLE notice (
    notice_id   VARCHAR(64)  NOT NULL PRIMARY KEY,
    decision_id VARCHAR(64)  NOT NULL REFERENCES decision (decision_id),
    customer_id VARCHAR(128) NOT NULL,
    sha256         VARCHAR(64)  NOT NULL,
    decision_entry BIGINT       NOT NULL,
    issued_at   VARCHAR(32)  NOT NULL,
    state       VARCHAR(16)  NOT NULL,
    attempts    INTEGER      NOT NULL,
    event_idx   BIGINT       NOT NULL
);

CREATE TABLE notice_delivery (
    event_idx BIGINT       NOT NULL PRIMARY KEY,
    notice_id VARCHAR(64)  NOT NULL REFERENCES notice (notice_id),
    attempt   INTEGER      NOT NULL,
    status    INTEGER      NOT NULL,
    outcome   VARCHAR(512) NOT NULL,
    at        VARCHAR(32)  NOT NULL
);

CREATE TABLE appeal (
    appeal_id   VARCHAR(64)  NOT NULL PRIMARY KEY,
    decision_id VARCHAR(64)  NOT NULL REFERENCES decision (decision_id),
    statement   TEXT         NOT NULL,
    filed_by    VARCHAR(128) NOT NULL,
    filed_at    VARCHAR(32)  NOT NULL,
    state       VARCHAR(16)  NOT NULL,
    reviewer    VARCHAR(128),
    outcome     VARCHAR(32),
    reasons     TEXT,
    decided_at  VARCHAR(32),
    event_idx   BIGINT       NOT NULL
);

-- Not projections: the rendered notices (by id, hashed in notice.issued) and webhook secrets.
CREATE TABLE notice_document (
    notice_id VARCHAR(64) NOT NULL PRIMARY KEY,
    content   ${bytes}    NOT NULL
);

CREATE TABLE webhook_secret (
    customer_id VARCHAR(128) NOT NULL PRIMARY KEY,
    secret      VARCHAR(128) NOT NULL
);
