-- Findings of detection rules: a projection of finding.recorded and finding.attached.
-- One finding per pack, rule and subject: later scans that flag it again add nothing.
-- evidence is the canonical JSON of the rule's aggregates (never rows or content).

CREATE TABLE finding (
    finding_id    VARCHAR(64)  NOT NULL PRIMARY KEY,
    pack          VARCHAR(64)  NOT NULL,
    pack_version  VARCHAR(64)  NOT NULL,
    rule_id       VARCHAR(64)  NOT NULL,
    rule_hash     VARCHAR(64)  NOT NULL,
    severity      VARCHAR(16)  NOT NULL,
    clause        VARCHAR(256) NOT NULL,
    subject_type  VARCHAR(16)  NOT NULL,
    subject_id    VARCHAR(128) NOT NULL,
    customer_id   VARCHAR(128) NOT NULL REFERENCES customer (customer_id),
    window_start  VARCHAR(32)  NOT NULL,
    window_end    VARCHAR(32)  NOT NULL,
    evidence      TEXT         NOT NULL,
    case_id       VARCHAR(64)  REFERENCES review_case (case_id),
    recorded_at   VARCHAR(32)  NOT NULL,
    event_idx     BIGINT       NOT NULL,
    UNIQUE (pack, rule_id, subject_type, subject_id)
);
