package dev.warden.detection;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warden.event.CanonicalJson;
import dev.warden.event.Check;
import dev.warden.event.Journal;
import dev.warden.event.Sql;
import dev.warden.principal.Principal;
import dev.warden.principal.Role;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** The findings detection recorded, for the staff who review them (read from their projection). */
public final class Findings {
    private final Journal journal;

    public Findings(Journal journal) {
        this.journal = journal;
    }

    /**
     * One finding: what flagged whom over which window, on which evidence (the rule's aggregates),
     * and the case it went to, if any.
     */
    public record Finding(String findingId, String pack, String packVersion, String ruleId, String ruleHash, String severity,
            String clause, String subjectType, String subjectId, String customerId, String windowStart, String windowEnd,
            JsonNode evidence, String caseId, String recordedAt) {
    }

    /** Every finding, or one customer's, oldest first. Reviewers see cases, not the detection queue. */
    public List<Finding> list(Principal by, String customerId) {
        Check.role(by, Role.ANALYST, Role.APPROVER, Role.AUDITOR, Role.ADMIN);
        String columns = "SELECT finding_id, pack, pack_version, rule_id, rule_hash, severity, clause, subject_type, subject_id,"
                + " customer_id, window_start, window_end, evidence, case_id, recorded_at FROM finding";
        return journal.read(c -> (customerId == null
                ? Sql.rows(c, columns + " ORDER BY event_idx")
                : Sql.rows(c, columns + " WHERE customer_id = ? ORDER BY event_idx", Check.id("customerId", customerId)))
                .stream().map(r -> new Finding(r.get(0), r.get(1), r.get(2), r.get(3), r.get(4), r.get(5), r.get(6), r.get(7),
                        r.get(8), r.get(9), r.get(10), r.get(11), CanonicalJson.parse(r.get(12).getBytes(StandardCharsets.UTF_8)),
                        r.get(13), r.get(14)))
                .toList());
    }
}
