-- Events (private bodies) and the projections of the review workflow. Every projection table is
-- rebuilt from the ledger and the bodies by `warden audit replay`; nothing else writes to them.
-- Times are ISO 8601 text, booleans SMALLINT 0/1, so both dialects digest alike.

-- The private body of every event, keyed by its ledger index, with the salt of its bodyHash.
CREATE TABLE event_body (
    idx       BIGINT       NOT NULL PRIMARY KEY,
    type      VARCHAR(64)  NOT NULL,
    at        VARCHAR(32)  NOT NULL,
    principal VARCHAR(128) NOT NULL,
    salt      ${bytes}     NOT NULL,
    body      ${bytes}     NOT NULL
);

CREATE TABLE customer (
    customer_id   VARCHAR(128) NOT NULL PRIMARY KEY,
    name          VARCHAR(512) NOT NULL,
    customer_type VARCHAR(16)  NOT NULL,
    country       VARCHAR(2)   NOT NULL,
    event_idx     BIGINT       NOT NULL
);

CREATE TABLE subscription (
    subscription_id VARCHAR(128) NOT NULL PRIMARY KEY,
    customer_id     VARCHAR(128) NOT NULL REFERENCES customer (customer_id),
    name            VARCHAR(512) NOT NULL,
    event_idx       BIGINT       NOT NULL
);
CREATE INDEX subscription_customer ON subscription (customer_id);

CREATE TABLE service (
    service    VARCHAR(128) NOT NULL PRIMARY KEY,
    category   VARCHAR(64)  NOT NULL,
    operations VARCHAR(128) NOT NULL,
    event_idx  BIGINT       NOT NULL
);

CREATE TABLE region (
    region    VARCHAR(64)  NOT NULL PRIMARY KEY,
    name      VARCHAR(256) NOT NULL,
    event_idx BIGINT       NOT NULL
);

CREATE TABLE report (
    report_id   VARCHAR(64)  NOT NULL PRIMARY KEY,
    source_type VARCHAR(32)  NOT NULL,
    description TEXT         NOT NULL,
    refs        TEXT         NOT NULL,
    customer_id VARCHAR(128) REFERENCES customer (customer_id),
    received_at VARCHAR(32)  NOT NULL,
    received_by VARCHAR(128) NOT NULL,
    event_idx   BIGINT       NOT NULL
);

CREATE TABLE review_case (
    case_id     VARCHAR(64)  NOT NULL PRIMARY KEY,
    customer_id VARCHAR(128) NOT NULL REFERENCES customer (customer_id),
    title       VARCHAR(512) NOT NULL,
    status      VARCHAR(32)  NOT NULL,
    opened_at   VARCHAR(32)  NOT NULL,
    opened_by   VARCHAR(128) NOT NULL,
    event_idx   BIGINT       NOT NULL
);

CREATE TABLE case_report (
    case_id   VARCHAR(64) NOT NULL REFERENCES review_case (case_id),
    report_id VARCHAR(64) NOT NULL REFERENCES report (report_id),
    PRIMARY KEY (case_id, report_id)
);

CREATE TABLE case_reviewer (
    case_id     VARCHAR(64)  NOT NULL REFERENCES review_case (case_id),
    reviewer    VARCHAR(128) NOT NULL,
    outside     SMALLINT     NOT NULL,
    assigned_at VARCHAR(32)  NOT NULL,
    assigned_by VARCHAR(128) NOT NULL,
    PRIMARY KEY (case_id, reviewer)
);

CREATE TABLE case_note (
    note_id   VARCHAR(64)  NOT NULL PRIMARY KEY,
    case_id   VARCHAR(64)  NOT NULL REFERENCES review_case (case_id),
    author    VARCHAR(128) NOT NULL,
    text      TEXT         NOT NULL,
    added_at  VARCHAR(32)  NOT NULL,
    event_idx BIGINT       NOT NULL
);

CREATE TABLE evidence (
    evidence_id VARCHAR(64)  NOT NULL PRIMARY KEY,
    case_id     VARCHAR(64)  NOT NULL REFERENCES review_case (case_id),
    kind        VARCHAR(32)  NOT NULL,
    title       VARCHAR(512) NOT NULL,
    sha256      VARCHAR(64)  NOT NULL,
    source      VARCHAR(512) NOT NULL,
    bytes       BIGINT       NOT NULL,
    attached_by VARCHAR(128) NOT NULL,
    attached_at VARCHAR(32)  NOT NULL,
    event_idx   BIGINT       NOT NULL
);

-- Access transparency: every read of an evidence item, one row per evidence.read event.
CREATE TABLE evidence_access (
    event_idx   BIGINT       NOT NULL PRIMARY KEY,
    evidence_id VARCHAR(64)  NOT NULL REFERENCES evidence (evidence_id),
    principal   VARCHAR(128) NOT NULL,
    purpose     VARCHAR(512) NOT NULL,
    at          VARCHAR(32)  NOT NULL
);

-- The evidence documents themselves, by content hash: business records, private, not a
-- projection (the ledger holds their hash; a replay checks nothing here).
CREATE TABLE evidence_blob (
    sha256  VARCHAR(64) NOT NULL PRIMARY KEY,
    content ${bytes}    NOT NULL
);
