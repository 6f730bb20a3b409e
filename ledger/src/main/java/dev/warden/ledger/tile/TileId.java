package dev.warden.ledger.tile;

/**
 * A tile of C2SP tlog-tiles: a hash tile at {@code level}, or, with {@code entries}, an entry
 * bundle; its {@code index} N among the tiles of its level, and its {@code width} W in hashes or
 * entries (256 when full, 1–255 when partial).
 */
public record TileId(boolean entries, int level, long index, int width) {
    /** Tile height: each tile covers 2^8 = 256 hashes of the level below (tlog-tiles §Hash tiles). */
    public static final int HEIGHT = 8;
    /** The width of a full tile. */
    public static final int FULL = 1 << HEIGHT;
    /** The highest level the spec allows (tlog-tiles §Hash tiles: L is 0 to 63). */
    public static final int MAX_LEVEL = 63;

    public TileId {
        if (level < 0 || level > MAX_LEVEL || (entries && level != 0)) {
            throw new IllegalArgumentException("tile level " + level + " is out of range");
        }
        if (index < 0) {
            throw new IllegalArgumentException("tile index " + index + " is negative");
        }
        if (width < 1 || width > FULL) {
            throw new IllegalArgumentException("tile width " + width + " is not in 1..256");
        }
    }

    public static TileId hashes(int level, long index, int width) {
        return new TileId(false, level, index, width);
    }

    public static TileId bundle(long index, int width) {
        return new TileId(true, 0, index, width);
    }

    public boolean full() {
        return width == FULL;
    }

    /**
     * The tile's path under the log prefix, per C2SP tlog-tiles §Hash tiles and §Entry bundles:
     * {@code tile/<L>/<N>[.p/<W>]} or {@code tile/entries/<N>[.p/<W>]}.
     */
    public String path() {
        StringBuilder sb = new StringBuilder(32).append("tile/");
        sb.append(entries ? "entries" : Integer.toString(level)).append('/');
        sb.append(encodeIndex(index));
        if (!full()) {
            sb.append(".p/").append(width);
        }
        return sb.toString();
    }

    /**
     * C2SP tlog-tiles §Hash tiles: N is written as 3-digit zero-padded groups, every group but the
     * last prefixed with {@code x}; 1234067 is {@code x001/x234/067}.
     */
    public static String encodeIndex(long n) {
        String digits = Long.toString(n);
        int pad = (3 - digits.length() % 3) % 3;
        digits = "0".repeat(pad) + digits;
        StringBuilder sb = new StringBuilder(digits.length() + digits.length() / 3 * 2);
        for (int i = 0; i < digits.length(); i += 3) {
            if (i > 0) {
                sb.append('/');
            }
            if (i + 3 < digits.length()) {
                sb.append('x');
            }
            sb.append(digits, i, i + 3);
        }
        return sb.toString();
    }

    /**
     * Parses a path as {@link #path()} writes it, accepting only the canonical form, so that one
     * tile has exactly one URL.
     *
     * @throws IllegalArgumentException naming what is wrong with {@code path}
     */
    public static TileId parse(String path) {
        if (path == null || !path.startsWith("tile/")) {
            throw bad(path, "it does not start with \"tile/\"");
        }
        String rest = path.substring("tile/".length());
        int slash = rest.indexOf('/');
        if (slash < 0) {
            throw bad(path, "it has no tile index");
        }
        String levelPart = rest.substring(0, slash);
        boolean entries = levelPart.equals("entries");
        int level = 0;
        if (!entries) {
            if (!levelPart.matches("0|[1-9][0-9]?")) {
                throw bad(path, "level \"" + levelPart + "\" is not a decimal from 0 to 63");
            }
            level = Integer.parseInt(levelPart);
            if (level > MAX_LEVEL) {
                throw bad(path, "level " + level + " is above " + MAX_LEVEL);
            }
        }
        String indexPart = rest.substring(slash + 1);
        int width = FULL;
        int partial = indexPart.indexOf(".p/");
        if (partial >= 0) {
            String w = indexPart.substring(partial + 3);
            if (!w.matches("[1-9][0-9]{0,2}") || Integer.parseInt(w) >= FULL) {
                throw bad(path, "partial width \"" + w + "\" is not in 1..255");
            }
            width = Integer.parseInt(w);
            indexPart = indexPart.substring(0, partial);
        }
        String[] groups = indexPart.split("/", -1);
        long n = 0;
        for (int i = 0; i < groups.length; i++) {
            String g = groups[i];
            boolean last = i == groups.length - 1;
            if (!(last ? g.matches("[0-9]{3}") : g.matches("x[0-9]{3}"))) {
                throw bad(path, "index group \"" + g + "\" is not " + (last ? "3 digits" : "x and 3 digits"));
            }
            if (i > 6) {
                throw bad(path, "index has too many groups");
            }
            try {
                n = Math.addExact(Math.multiplyExact(n, 1000), Integer.parseInt(last ? g : g.substring(1)));
            } catch (ArithmeticException e) {
                throw bad(path, "index is above " + Long.MAX_VALUE);
            }
        }
        if (groups.length > 1 && groups[0].equals("x000")) {
            throw bad(path, "index has a leading zero group");
        }
        return new TileId(entries, level, n, width);
    }

    /**
     * The width of tile {@code index} at {@code level} in a tree of {@code treeSize} leaves:
     * 256 if full, the partial width {@code floor(s / 256^L) mod 256} for the last one, and 0 if
     * the tile does not exist (tlog-tiles §Partial tiles; empty tiles are never served).
     * Entry bundles follow level 0.
     */
    public static int widthAt(int level, long index, long treeSize) {
        long hashesAtLevel = level * HEIGHT >= 63 ? 0 : treeSize >>> (level * HEIGHT);
        long fullTiles = hashesAtLevel >>> HEIGHT;
        if (index < fullTiles) {
            return FULL;
        }
        if (index == fullTiles) {
            return (int) (hashesAtLevel & (FULL - 1));
        }
        return 0;
    }

    private static IllegalArgumentException bad(String path, String why) {
        return new IllegalArgumentException("couldn't parse tile path \"" + path + "\": " + why);
    }
}
