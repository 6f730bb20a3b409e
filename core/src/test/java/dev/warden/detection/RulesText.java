package dev.warden.detection;

import java.util.Map;
import java.util.stream.Collectors;

/** Test messages: a hit's values on one line. */
final class RulesText {
    private RulesText() {
    }

    static String values(Map<String, Double> values) {
        return values.entrySet().stream().map(e -> e.getKey() + "=" + (e.getValue() == null ? "none" : String.format("%.4g", e.getValue())))
                .collect(Collectors.joining(" "));
    }
}
