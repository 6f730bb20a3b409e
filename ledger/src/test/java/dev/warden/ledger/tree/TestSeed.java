package dev.warden.ledger.tree;

import java.util.SplittableRandom;

/**
 * The seed of a test's random inputs: new on every run unless {@code -Dwarden.test.seed=N} fixes
 * it, and quoted in every failure message by {@link #describe}, so that a failure can be replayed.
 */
final class TestSeed {
    static final String PROPERTY = "warden.test.seed";

    private final long seed;

    private TestSeed(long seed) {
        this.seed = seed;
    }

    static TestSeed pick() {
        String fixed = System.getProperty(PROPERTY);
        return new TestSeed(fixed == null || fixed.isBlank() ? new SplittableRandom().nextLong() : Long.parseLong(fixed.trim()));
    }

    SplittableRandom random() {
        return new SplittableRandom(seed);
    }

    /** A failure description that leads with the seed and how to replay it. */
    String describe(String format, Object... args) {
        return "[seed " + seed + ", replay with -D" + PROPERTY + "=" + seed + "] " + String.format(format, args);
    }

    @Override
    public String toString() {
        return Long.toString(seed);
    }
}
