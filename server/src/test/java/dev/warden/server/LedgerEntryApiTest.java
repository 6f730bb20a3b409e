package dev.warden.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warden.event.Envelope;
import dev.warden.event.EventCodec;
import dev.warden.principal.Role;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/** An auditor reads an entry with its private body, and checks the body against the public log. */
class LedgerEntryApiTest {
    @TempDir
    Path dir;
    ApiServer api;

    @BeforeEach
    void start() {
        api = new ApiServer(dir);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void anEntry_comesWithItsSaltAndBody_whichHashToTheEnvelopesBodyHash() {
        String admin = api.token("ada", Role.ADMIN); // entry 0: token.issued
        String auditor = api.token("aud", Role.AUDITOR); // entry 1
        assertThat(api.post("/v1/customers", admin, "{\"customerId\":\"acct-1\",\"name\":\"Example Ltd\","
                + "\"customerType\":\"business\",\"country\":\"DE\"}").status()).isEqualTo(201);
        long index = api.ledgerSize() - 1;

        ApiServer.Reply r = api.get("/v1/ledger/entries/" + index, auditor);
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        JsonNode e = r.json();
        assertThat(e.path("index").asLong()).isEqualTo(index);
        Base64.Decoder b64 = Base64.getDecoder();
        byte[] entry = b64.decode(e.path("entry").asText());
        assertThat(entry).as("the exact bytes of the public log").isEqualTo(api.journal.ledger().entry(index));
        assertThat(e.path("envelope").path("type").asText()).isEqualTo("customer.registered");
        assertThat(new String(entry, StandardCharsets.UTF_8)).doesNotContain("acct-1").doesNotContain("Example Ltd");

        byte[] salt = b64.decode(e.path("salt").asText());
        byte[] body = b64.decode(e.path("body").asText());
        Envelope envelope = Envelope.decode(entry);
        assertThat(EventCodec.bodyHash(salt, body)).isEqualTo(envelope.bodyHash());
        assertThat(e.path("envelope").path("bodyHash").asText()).isEqualTo(envelope.bodyHash().base64());
        assertThat(EventCodec.open(envelope, salt, body).by().id()).isEqualTo("ada");
        assertThat(new String(body, StandardCharsets.UTF_8)).contains("\"customerId\":\"acct-1\"");

        // A forged body would not match: one changed byte of the body changes the hash.
        body[body.length / 2] ^= 1;
        assertThat(EventCodec.bodyHash(salt, body)).isNotEqualTo(envelope.bodyHash());
    }

    @Test
    void anEntryThatIsNotAnEvent_isServedWithoutEnvelopeOrBody() {
        String auditor = api.token("aud", Role.AUDITOR);
        long index = api.journal.ledger().append("not an envelope".getBytes(StandardCharsets.UTF_8));
        JsonNode e = api.get("/v1/ledger/entries/" + index, auditor).json();
        assertThat(new String(Base64.getDecoder().decode(e.path("entry").asText()), StandardCharsets.UTF_8))
                .isEqualTo("not an envelope");
        assertThat(e.path("envelope").isNull()).isTrue();
        assertThat(e.path("salt").isNull()).isTrue();
        assertThat(e.path("body").isNull()).isTrue();
    }

    @Test
    void theTokenIssuedEvent_namesNoSecret() {
        String auditor = api.token("aud", Role.AUDITOR);
        JsonNode e = api.get("/v1/ledger/entries/0", auditor).json();
        String body = new String(Base64.getDecoder().decode(e.path("body").asText()), StandardCharsets.UTF_8);
        assertThat(body).contains("token.issued").doesNotContain(auditor);
    }
}
