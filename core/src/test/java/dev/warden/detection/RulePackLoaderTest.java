package dev.warden.detection;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Loading rule packs: the sample pack, and every kind of mistake named at its file and line. */
class RulePackLoaderTest {
    static final Path SAMPLE = Path.of("..", "rules", "surveillance-indicators.yaml");

    static final String GOOD = """
            pack: p
            version: "1"
            rules:
              - id: r
                title: T
                severity: low
                clause: C
                subject: customer
                window: 30d
                measures:
                  x: {sum: BilledCost, where: {ServiceCategory: [Storage, Compute]}}
                baselines:
                  xb: {previous: x, shift: 30d}
                condition: |
                  x > 1.0 &&
                  x / xb > 2.0
            """;

    @Test
    void samplePack_loadsTenRules_eachWithAStableContentHash() {
        RulePack pack = RulePackLoader.load(SAMPLE);
        assertThat(pack.name()).isEqualTo("surveillance-indicators");
        assertThat(pack.rules()).hasSize(10);
        assertThat(pack.rules()).extracting(RulePack.Rule::hash).doesNotHaveDuplicates().allMatch(h -> h.matches("[0-9a-f]{64}"));
        assertThat(RulePackLoader.load(SAMPLE).rules().get(0).hash()).isEqualTo(pack.rules().get(0).hash());
    }

    @Test
    void ruleHash_changesWithTheRule_butNotWithItsPlaceInTheFile() {
        RulePack a = RulePackLoader.parse("a.yaml", GOOD);
        RulePack moved = RulePackLoader.parse("b.yaml", "# a comment\n\n" + GOOD);
        RulePack changed = RulePackLoader.parse("c.yaml", GOOD.replace("x > 1.0", "x > 2.0"));
        assertThat(moved.rules().get(0).hash()).isEqualTo(a.rules().get(0).hash());
        assertThat(changed.rules().get(0).hash()).isNotEqualTo(a.rules().get(0).hash());
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
            "severity: low|severity: urgent|p.yaml:6: severity must be one of [low, medium, high]",
            "window: 30d|window: 1 month|p.yaml:9: window must be a number of days",
            "ServiceCategory: [Storage, Compute]|ServiceCategory; DROP TABLE focus: [x]|p.yaml:11: filters take the columns",
            "where: {ServiceCategory|wher: {ServiceCategory|p.yaml:11: unknown key \"wher\"",
            "sum: BilledCost|sum: Transcript|p.yaml:11: sum takes one of",
            "previous: x|previous: y|p.yaml:13: baseline \"xb\" names no measure of this rule",
            "x / xb > 2.0|x / nope > 2.0|p.yaml:16: rule \"r\": condition: undeclared reference to 'nope'",
            "x > 1.0 &&|x + 1 > 1.0 &&|p.yaml:15: rule \"r\": condition: found no matching overload",
            "title: T|title: [T|p.yaml:6: not valid YAML",
            "clause: C|clause: C\\n    clause: D|p.yaml:8: \"clause\" appears twice",
            "[Storage, Compute]|[\"Storage'--\"]|p.yaml:11: filter value \"Storage'--\" has characters",
    })
    void mistakes_areNamedAtTheirFileAndLine(String from, String to, String expected) {
        String text = GOOD.replace(from, to.replace("\\n", "\n"));
        assertThat(text).isNotEqualTo(GOOD);
        assertThatThrownBy(() -> RulePackLoader.parse("p.yaml", text)).isInstanceOf(RuleException.class)
                .hasMessageStartingWith(expected.substring(0, expected.indexOf(':', expected.indexOf(':') + 1) + 1))
                .hasMessageContaining(expected.substring(expected.indexOf(':', expected.indexOf(':') + 1) + 2));
    }

    @Test
    void aRuleIdUsedTwice_isRefused() {
        String twice = GOOD + GOOD.substring(GOOD.indexOf("  - id: r"));
        assertThatThrownBy(() -> RulePackLoader.parse("p.yaml", twice)).hasMessageContaining("p.yaml:17: rule id \"r\" is used twice");
    }

    @Test
    void aMissingFile_isNamed() {
        assertThatThrownBy(() -> RulePackLoader.load(Path.of("no-such-pack.yaml"))).hasMessageStartingWith("no-such-pack.yaml:");
        assertThat(Files.exists(SAMPLE)).isTrue();
    }
}
