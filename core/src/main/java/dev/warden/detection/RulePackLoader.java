package dev.warden.detection;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warden.detection.RulePack.Aggregate;
import dev.warden.detection.RulePack.Baseline;
import dev.warden.detection.RulePack.Measure;
import dev.warden.detection.RulePack.Rule;
import dev.warden.event.CanonicalJson;
import dev.warden.event.Sha256;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a rule pack from YAML. It walks SnakeYAML's node tree rather than binding to objects, so
 * that every error names the file and line it is about; unknown keys, duplicate keys and
 * duplicate names are errors, not silently ignored. Each rule's condition is type-checked as CEL
 * here, so a pack that loads is a pack that compiles.
 *
 * <p>The format:
 * <pre>
 * pack: surveillance-indicators
 * version: "1.0.0"
 * description: ...
 * rules:
 *   - id: storage-surge
 *     title: ...
 *     severity: high                # low | medium | high
 *     clause: "AUP 4.2"
 *     subject: subscription         # subscription | customer
 *     window: 30d                   # days
 *     measures:
 *       storage_gb:
 *         sum: ConsumedQuantity     # sum | max: a quantity or cost; count: rows; distinct: a key
 *         per: RegionId             # optional: the largest value per key
 *         where:
 *           ServiceCategory: Storage          # one value or a list
 *     baselines:
 *       storage_before: {previous: storage_gb, shift: 180d}
 *       storage_peer: {peer: storage_gb}
 *     condition: storage_gb > 5.0e6 &amp;&amp; storage_gb / storage_before > 2.0
 * </pre>
 */
public final class RulePackLoader {
    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9-]{0,63}");
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    private static final Pattern DAYS = Pattern.compile("([1-9][0-9]{0,3})d");
    private static final Pattern VALUE = Pattern.compile("[\\p{L}\\p{N} ()._/+:-]{1,128}");

    private final String source;

    private RulePackLoader(String source) {
        this.source = source;
    }

    /** Loads the pack in {@code file}. */
    public static RulePack load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RuleException(file + ": couldn't read the rule pack: " + e.getMessage(), e);
        }
        return parse(file.toString(), text);
    }

    /** Parses a pack's YAML {@code text}; {@code source} names it in messages. */
    public static RulePack parse(String source, String text) {
        return new RulePackLoader(source).pack(text);
    }

    private RulePack pack(String text) {
        Node root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 1 : e.getProblemMark().getLine() + 1;
            throw new RuleException(source + ":" + line + ": not valid YAML: " + e.getProblem());
        }
        if (root == null) {
            throw new RuleException(source + ":1: the rule pack is empty");
        }
        Map<String, Node> top = mapping(root, "the pack", Set.of("pack", "version", "description", "rules"));
        String name = id(require(top, root, "pack"), "pack");
        String version = scalar(require(top, root, "version"), "version");
        String description = top.containsKey("description") ? scalar(top.get("description"), "description") : "";
        Node rulesNode = require(top, root, "rules");
        if (!(rulesNode instanceof SequenceNode seq) || seq.getValue().isEmpty()) {
            throw error(rulesNode, "rules must be a list of at least one rule");
        }
        List<Rule> rules = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (Node r : seq.getValue()) {
            Rule rule = rule(r);
            if (!ids.add(rule.id())) {
                throw error(r, "rule id \"" + rule.id() + "\" is used twice");
            }
            rules.add(rule);
        }
        return new RulePack(name, version, description, rules, source);
    }

    private Rule rule(Node node) {
        Map<String, Node> m = mapping(node, "a rule", Set.of("id", "title", "severity", "clause", "subject", "window",
                "measures", "baselines", "condition"));
        String id = id(require(m, node, "id"), "id");
        String title = scalar(require(m, node, "title"), "title");
        RulePack.Severity severity = choice(require(m, node, "severity"), "severity", RulePack.Severity.class);
        String clause = scalar(require(m, node, "clause"), "clause");
        RulePack.Subject subject = choice(require(m, node, "subject"), "subject", RulePack.Subject.class);
        Duration window = days(require(m, node, "window"), "window");
        Node measuresNode = require(m, node, "measures");
        List<Measure> measures = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Map.Entry<Node, Node> e : entries(measuresNode, "measures").entrySet()) {
            Measure measure = measure(e.getKey(), e.getValue(), subject);
            if (!names.add(measure.name())) {
                throw error(e.getKey(), "\"" + measure.name() + "\" is defined twice");
            }
            measures.add(measure);
        }
        if (measures.isEmpty()) {
            throw error(measuresNode, "a rule needs at least one measure");
        }
        List<Baseline> baselines = new ArrayList<>();
        if (m.containsKey("baselines")) {
            for (Map.Entry<Node, Node> e : entries(m.get("baselines"), "baselines").entrySet()) {
                Baseline b = baseline(e.getKey(), e.getValue(), names);
                if (!names.add(b.name())) {
                    throw error(e.getKey(), "\"" + b.name() + "\" is defined twice");
                }
                baselines.add(b);
            }
        }
        Node conditionNode = require(m, node, "condition");
        String condition = scalar(conditionNode, "condition");
        int line = node.getStartMark().getLine() + 1;
        Rule unhashed = new Rule(id, title, severity, clause, subject, window, measures, baselines, condition, "", line);
        try {
            Condition.compile(unhashed);
        } catch (RuleException e) {
            // CEL counts lines within the expression; a block scalar starts on the line after its key.
            int base = conditionNode.getStartMark().getLine() + (isBlock(conditionNode) ? 1 : 0);
            throw new RuleException(source + ":" + (base + Condition.lineOf(e) + 1) + ": rule \"" + id + "\": " + e.getMessage(), e);
        }
        return new Rule(id, title, severity, clause, subject, window, measures, baselines, condition, hash(unhashed), line);
    }

    private Measure measure(Node key, Node node, RulePack.Subject subject) {
        String name = name(key);
        Map<String, Node> m = mapping(node, "measure \"" + name + "\"", Set.of("sum", "max", "count", "distinct", "where", "per"));
        List<String> kinds = m.keySet().stream().filter(k -> Set.of("sum", "max", "count", "distinct").contains(k)).toList();
        if (kinds.size() != 1) {
            throw error(node, "measure \"" + name + "\" needs exactly one of sum, max, count or distinct");
        }
        Aggregate aggregate = Aggregate.valueOf(kinds.get(0).toUpperCase(Locale.ROOT));
        Node ofNode = m.get(kinds.get(0));
        String of = scalar(ofNode, kinds.get(0));
        switch (aggregate) {
            case SUM, MAX -> {
                if (!RulePack.QUANTITIES.contains(of)) {
                    throw error(ofNode, kinds.get(0) + " takes one of " + sorted(RulePack.QUANTITIES) + ", not \"" + of + "\"");
                }
            }
            case COUNT -> {
                if (!of.equals("rows")) {
                    throw error(ofNode, "count takes \"rows\", not \"" + of + "\"");
                }
                of = null;
            }
            case DISTINCT -> {
                if (!RulePack.KEYS.contains(of) || of.equals(subject.column())) {
                    throw error(ofNode, "distinct takes one of " + sorted(RulePack.KEYS) + " other than the subject's "
                            + subject.column() + ", not \"" + of + "\"");
                }
            }
        }
        String per = null;
        if (m.containsKey("per")) {
            per = scalar(m.get("per"), "per");
            if (!RulePack.KEYS.contains(per) || per.equals(subject.column())) {
                throw error(m.get("per"), "per takes one of " + sorted(RulePack.KEYS) + " other than the subject's "
                        + subject.column() + ", not \"" + per + "\"");
            }
            if (aggregate == Aggregate.DISTINCT) {
                throw error(m.get("per"), "per does not combine with distinct");
            }
        }
        Map<String, List<String>> where = new LinkedHashMap<>();
        if (m.containsKey("where")) {
            for (Map.Entry<Node, Node> e : entries(m.get("where"), "where").entrySet()) {
                String column = scalar(e.getKey(), "a filter column");
                if (!RulePack.FILTER_COLUMNS.contains(column)) {
                    throw error(e.getKey(), "filters take the columns " + sorted(RulePack.FILTER_COLUMNS) + ", not \"" + column
                            + "\" (filters are structured: no SQL)");
                }
                List<String> values = new ArrayList<>();
                if (e.getValue() instanceof SequenceNode s) {
                    for (Node v : s.getValue()) {
                        values.add(value(v));
                    }
                } else {
                    values.add(value(e.getValue()));
                }
                if (values.isEmpty()) {
                    throw error(e.getValue(), "filter " + column + " lists no values");
                }
                where.put(column, List.copyOf(values));
            }
        }
        return new Measure(name, aggregate, of, where, per, key.getStartMark().getLine() + 1);
    }

    private Baseline baseline(Node key, Node node, Set<String> measures) {
        String name = name(key);
        Map<String, Node> m = mapping(node, "baseline \"" + name + "\"", Set.of("previous", "shift", "peer"));
        int line = key.getStartMark().getLine() + 1;
        if (m.containsKey("previous") == m.containsKey("peer")) {
            throw error(node, "baseline \"" + name + "\" needs exactly one of previous (with shift) or peer");
        }
        Node of = m.containsKey("previous") ? m.get("previous") : m.get("peer");
        String measure = scalar(of, "the baseline's measure");
        if (!measures.contains(measure)) {
            throw error(of, "baseline \"" + name + "\" names no measure of this rule: \"" + measure + "\"");
        }
        if (m.containsKey("peer")) {
            if (m.containsKey("shift")) {
                throw error(m.get("shift"), "a peer baseline takes no shift");
            }
            return new RulePack.Peer(name, measure, line);
        }
        return new RulePack.Previous(name, measure, days(require(m, node, "shift"), "shift"), line);
    }

    /** SHA-256 of the rule's canonical JSON (RFC 8785), without its source line: what a finding cites. */
    private static String hash(Rule r) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode o = f.objectNode();
        o.put("id", r.id()).put("title", r.title()).put("severity", r.severity().name()).put("clause", r.clause())
                .put("subject", r.subject().name()).put("windowDays", r.window().toDays()).put("condition", r.condition());
        ArrayNode ms = o.putArray("measures");
        for (Measure m : r.measures()) {
            ObjectNode mo = ms.addObject().put("name", m.name()).put("aggregate", m.aggregate().name());
            mo.put("of", m.of()).put("per", m.per());
            ObjectNode w = mo.putObject("where");
            m.where().forEach((k, v) -> v.forEach(w.withArray(k)::add));
        }
        ArrayNode bs = o.putArray("baselines");
        for (Baseline b : r.baselines()) {
            ObjectNode bo = bs.addObject().put("name", b.name()).put("measure", b.measure());
            if (b instanceof RulePack.Previous p) {
                bo.put("previousShiftDays", p.shift().toDays());
            } else {
                bo.put("peer", true);
            }
        }
        return Sha256.hex(CanonicalJson.encode(o));
    }

    // ---- node helpers: each error names file:line ----

    private RuleException error(Node node, String message) {
        return new RuleException(source + ":" + (node.getStartMark().getLine() + 1) + ": " + message);
    }

    private Map<Node, Node> entries(Node node, String what) {
        if (!(node instanceof MappingNode mapping)) {
            throw error(node, what + " must be a mapping");
        }
        Map<Node, Node> out = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (NodeTuple t : mapping.getValue()) {
            if (!seen.add(scalar(t.getKeyNode(), "a key"))) {
                throw error(t.getKeyNode(), "\"" + scalar(t.getKeyNode(), "a key") + "\" appears twice in " + what);
            }
            out.put(t.getKeyNode(), t.getValueNode());
        }
        return out;
    }

    private Map<String, Node> mapping(Node node, String what, Set<String> allowed) {
        Map<String, Node> out = new LinkedHashMap<>();
        for (Map.Entry<Node, Node> e : entries(node, what).entrySet()) {
            String key = scalar(e.getKey(), "a key");
            if (!allowed.contains(key)) {
                throw error(e.getKey(), "unknown key \"" + key + "\" in " + what + " (expected " + sorted(allowed) + ")");
            }
            out.put(key, e.getValue());
        }
        return out;
    }

    private Node require(Map<String, Node> m, Node parent, String key) {
        Node n = m.get(key);
        if (n == null) {
            throw error(parent, "missing \"" + key + "\"");
        }
        return n;
    }

    private String scalar(Node node, String what) {
        if (!(node instanceof ScalarNode s)) {
            throw error(node, what + " must be a single value");
        }
        if (s.getValue().isBlank()) {
            throw error(node, what + " is empty");
        }
        return s.getValue();
    }

    private static boolean isBlock(Node node) {
        return node instanceof ScalarNode s && (s.getScalarStyle() == org.yaml.snakeyaml.DumperOptions.ScalarStyle.LITERAL
                || s.getScalarStyle() == org.yaml.snakeyaml.DumperOptions.ScalarStyle.FOLDED);
    }

    private String id(Node node, String what) {
        String v = scalar(node, what);
        if (!ID.matcher(v).matches()) {
            throw error(node, what + " \"" + v + "\" must be lower-case letters, digits and dashes");
        }
        return v;
    }

    private String name(Node node) {
        String v = scalar(node, "a name");
        if (!NAME.matcher(v).matches()) {
            throw error(node, "\"" + v + "\" must be lower-case letters, digits and underscores, starting with a letter,"
                    + " to be usable in the condition");
        }
        return v;
    }

    private String value(Node node) {
        String v = scalar(node, "a filter value");
        if (!VALUE.matcher(v).matches()) {
            throw error(node, "filter value \"" + v + "\" has characters a FOCUS name or unit does not");
        }
        return v;
    }

    private Duration days(Node node, String what) {
        String v = scalar(node, what);
        var matcher = DAYS.matcher(v);
        if (!matcher.matches()) {
            throw error(node, what + " must be a number of days such as 30d, not \"" + v + "\"");
        }
        return Duration.ofDays(Long.parseLong(matcher.group(1)));
    }

    private <E extends Enum<E>> E choice(Node node, String what, Class<E> type) {
        String v = scalar(node, what);
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(v)) {
                return e;
            }
        }
        throw error(node, what + " must be one of " + java.util.Arrays.stream(type.getEnumConstants())
                .map(e -> e.name().toLowerCase(Locale.ROOT)).toList() + ", not \"" + v + "\"");
    }

    private static List<String> sorted(Set<String> s) {
        return s.stream().sorted().toList();
    }
}
