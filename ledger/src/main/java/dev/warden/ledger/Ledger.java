package dev.warden.ledger;

import dev.warden.ledger.checkpoint.Checkpoint;
import dev.warden.ledger.checkpoint.CheckpointException;
import dev.warden.ledger.internal.RightEdge;
import dev.warden.ledger.internal.TileCache;
import dev.warden.ledger.internal.TileNodes;
import dev.warden.ledger.note.SignerKey;
import dev.warden.ledger.note.VerifierKey;
import dev.warden.ledger.receipt.Receipt;
import dev.warden.ledger.storage.LogStorage;
import dev.warden.ledger.storage.LogStorage.StoredCheckpoint;
import dev.warden.ledger.storage.LogStorageException;
import dev.warden.ledger.tile.EntryBundle;
import dev.warden.ledger.tile.TileId;
import dev.warden.ledger.tree.Hash;
import dev.warden.ledger.tree.NodeReader;
import dev.warden.ledger.tree.Proofs;
import dev.warden.ledger.verifier.TileSource;

import java.io.IOException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An append-only Merkle log (RFC 9162) kept as C2SP tlog-tiles, with C2SP tlog-checkpoint
 * checkpoints signed by one Ed25519 key, over a {@link LogStorage}.
 *
 * <p><b>Appends</b> go through one sequencer thread with group commit: every append waiting when
 * the previous transaction finishes joins the next one, so concurrent appenders share one
 * transaction, one sync and one signature. An append is durable when it returns (or when its
 * future completes), and its index is final.
 *
 * <p><b>Reads</b> (checkpoint, tiles, proofs, receipts) are thread-safe and never block appends:
 * they work on an immutable snapshot of the log's right edge plus full tiles, which never change.
 *
 * <p>One {@code Ledger} per log: the store refuses a commit from a second writer that is behind.
 */
public final class Ledger implements AutoCloseable {
    /** Tuning. {@code maxBatch}: entries per transaction; {@code cachedTiles}: full tiles kept in memory. */
    public record Options(int maxBatch, int cachedTiles) {
        public Options {
            if (maxBatch < 1 || cachedTiles < 0) {
                throw new IllegalArgumentException("maxBatch must be positive and cachedTiles non-negative");
            }
        }

        public static Options defaults() {
            return new Options(4096, 4096);
        }
    }

    /**
     * A unit of work the sequencer runs inside the batch's transaction: it may read and write the
     * store's own rows through {@link Appender#handle()} and append entries. If it throws, its
     * writes and entries are undone and the rest of the batch goes on; its future fails with the
     * exception it threw. It may run twice if the batch has to be retried on top of another
     * writer's appends, so it must depend on nothing but the store's state and its own inputs.
     */
    @FunctionalInterface
    public interface Step<T> {
        T run(Appender log);
    }

    /** What a {@link Step} sees: the transaction's handle and the log to append to. */
    public interface Appender {
        /** The store's transaction handle: a {@code java.sql.Connection} for SQL stores, null in memory. */
        Object handle();

        /**
         * Appends {@code entry} in this batch.
         *
         * @return the index it has once the batch commits
         * @throws IllegalArgumentException if it is over 65,535 bytes (tlog-tiles §Entry bundles)
         */
        long append(byte[] entry);
    }

    private record Pending(Step<?> step, boolean writesStore, CompletableFuture<Object> done) {
    }

    /**
     * What readers see: one committed size, its edge and its signed checkpoint, plus the
     * subtrees of the edge's partial tiles, computed on first use and then shared by every proof
     * at this size.
     */
    private static final class Snapshot {
        private final RightEdge edge;
        private final String checkpoint;
        private final java.util.concurrent.atomic.AtomicReferenceArray<TileNodes> edgeNodes =
                new java.util.concurrent.atomic.AtomicReferenceArray<>(RightEdge.LEVELS);

        Snapshot(RightEdge edge, String checkpoint) {
            this.edge = edge;
            this.checkpoint = checkpoint;
        }

        RightEdge edge() {
            return edge;
        }

        String checkpoint() {
            return checkpoint;
        }

        long size() {
            return edge.size();
        }

        /** The partial tile of {@code level} with its subtrees; a benign race computes it twice at worst. */
        TileNodes edgeNodes(int level) {
            TileNodes n = edgeNodes.get(level);
            if (n == null) {
                n = TileNodes.of(edge.partialTile(level));
                edgeNodes.set(level, n);
            }
            return n;
        }
    }

    private final LogStorage storage;
    private final SignerKey signer;
    private final VerifierKey verifier;
    private final Options options;
    private final TileCache cache;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private final java.util.concurrent.atomic.AtomicReference<Snapshot> snapshotRef;
    private volatile boolean closed;
    private final java.util.concurrent.atomic.AtomicLong commits = new java.util.concurrent.atomic.AtomicLong();
    /** Signalled whenever a larger checkpoint is published, for {@link #awaitGrowth}. */
    private final Object growth = new Object();

    private Ledger(LogStorage storage, SignerKey signer, Options options, Snapshot snapshot) {
        this.storage = storage;
        this.signer = signer;
        this.verifier = signer.verifierKey();
        this.options = options;
        this.cache = new TileCache(options.cachedTiles());
        this.snapshotRef = new java.util.concurrent.atomic.AtomicReference<>(snapshot);
        this.writer = Thread.ofPlatform().name("warden-ledger-writer").daemon().unstarted(this::sequence);
    }

    /** Opens the log in {@code storage} with default options. See {@link #open(LogStorage, SignerKey, Options)}. */
    public static Ledger open(LogStorage storage, SignerKey signer) {
        return open(storage, signer, Options.defaults());
    }

    /**
     * Opens the log held by {@code storage}, or starts an empty one signed at size 0. The stored
     * checkpoint must verify under {@code signer}'s key and match the stored tiles.
     *
     * @throws LedgerException if the store holds another log or inconsistent state
     */
    public static Ledger open(LogStorage storage, SignerKey signer, Options options) {
        String origin = signer.name();
        Optional<StoredCheckpoint> stored = storage.checkpoint();
        Snapshot snapshot;
        if (stored.isEmpty() || stored.get().note() == null) {
            RightEdge edge = RightEdge.empty();
            String note = new Checkpoint(origin, 0, edge.root(), List.of()).sign(signer);
            storage.commit(0, 0, List.of(), note);
            snapshot = new Snapshot(edge, note);
        } else {
            snapshot = load(storage, signer, stored.get());
        }
        Ledger ledger = new Ledger(storage, signer, options, snapshot);
        ledger.writer.start();
        return ledger;
    }

    /**
     * The snapshot of a stored log at {@code cp}: its checkpoint verified under our key, its right
     * edge restored from the stored partial tiles (which may have grown since: they are prefixes),
     * and the root recomputed and compared.
     */
    private static Snapshot load(LogStorage storage, SignerKey signer, StoredCheckpoint cp) {
        String origin = signer.name();
        Checkpoint checkpoint;
        try {
            checkpoint = Checkpoint.open(cp.note(), signer.verifierKey());
        } catch (CheckpointException e) {
            throw new LedgerException("couldn't open log \"" + origin + "\": its stored checkpoint does not verify: "
                    + e.getMessage(), e);
        }
        if (checkpoint.size() != cp.size()) {
            throw new LedgerException("couldn't open log \"" + origin + "\": stored size " + cp.size()
                    + " differs from its checkpoint's " + checkpoint.size());
        }
        long size = cp.size();
        byte[][] partial = new byte[RightEdge.LEVELS][];
        for (int level = 0; level < RightEdge.LEVELS; level++) {
            if (RightEdge.partialWidth(level, size) > 0) {
                partial[level] = storage.tile(false, level, size >>> (TileId.HEIGHT * (level + 1))).orElse(new byte[0]);
            }
        }
        byte[] bundle = size % TileId.FULL == 0 ? new byte[0]
                : storage.tile(true, 0, size >>> TileId.HEIGHT).orElse(new byte[0]);
        RightEdge edge;
        try {
            edge = RightEdge.restore(size, partial, bundle);
        } catch (RuntimeException e) {
            throw new LedgerException("couldn't open log \"" + origin + "\": " + e.getMessage(), e);
        }
        if (!edge.root().equals(checkpoint.root())) {
            throw new LedgerException("couldn't open log \"" + origin + "\": the stored tiles give root "
                    + edge.root() + " at size " + size + ", the checkpoint says " + checkpoint.root());
        }
        return new Snapshot(edge, cp.note());
    }

    /**
     * Catches up with appends that another writer committed to the same store (another process
     * running {@code warden ledger append}, say). Cheap when nothing changed: one read of the
     * stored checkpoint.
     *
     * @return whether the log moved forward
     * @throws LedgerException if the stored log does not verify
     */
    public boolean sync() {
        Optional<StoredCheckpoint> stored = storage.checkpoint();
        if (stored.isEmpty() || stored.get().note() == null || stored.get().size() <= snapshotRef.get().size()) {
            return false;
        }
        return publish(load(storage, signer, stored.get()));
    }

    /** Makes {@code next} the current snapshot unless a larger one is already published. */
    private boolean publish(Snapshot next) {
        Snapshot now;
        do {
            now = snapshotRef.get();
            if (now.size() >= next.size() && now != next) {
                return false;
            }
        } while (!snapshotRef.compareAndSet(now, next));
        synchronized (growth) {
            growth.notifyAll();
        }
        return true;
    }

    /**
     * Waits until the log grows beyond {@code size}, or the timeout passes, and returns the size
     * then. It sees the appends of this ledger at once, and those of another writer on the same
     * store once {@link #sync} picks them up. This is what lets a server push new checkpoints to
     * its followers instead of having them poll.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    public long awaitGrowth(long size, java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (growth) {
            long now;
            while ((now = size()) <= size) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return now;
                }
                TimeUnit.NANOSECONDS.timedWait(growth, left);
            }
            return now;
        }
    }

    /** The log's origin, which is also its key name. */
    public String origin() {
        return signer.name();
    }

    public VerifierKey verifierKey() {
        return verifier;
    }

    /**
     * Appends {@code entry} and waits until it is durable.
     *
     * @return the entry's index in the log
     * @throws IllegalArgumentException if the entry is over 65,535 bytes (tlog-tiles §Entry bundles)
     * @throws LedgerException if the log is closed or the store failed; nothing was appended then
     */
    public long append(byte[] entry) {
        try {
            return appendAsync(entry).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LedgerException("interrupted while waiting for an append to commit", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof LedgerException le) {
                throw le;
            }
            throw new LedgerException("couldn't append: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /**
     * Queues {@code entry}; the future completes with its index once it is durable, or
     * exceptionally if its batch failed (then none of that batch was appended).
     */
    public CompletableFuture<Long> appendAsync(byte[] entry) {
        checkEntry(entry);
        byte[] copy = entry.clone();
        return enqueue(log -> log.append(copy), false);
    }

    /**
     * Queues {@code step} to run in the next batch's transaction, in a savepoint of its own. The
     * future completes with its result once the batch is durable, or fails with what the step
     * threw (then nothing of the step was kept) or with a {@link LedgerException} if the batch
     * could not commit (then nothing of the batch was kept).
     */
    public <T> CompletableFuture<T> submit(Step<T> step) {
        return enqueue(step, true);
    }

    /**
     * Runs {@code step} as {@link #submit} does and waits for it. Rethrows the step's own
     * unchecked exception as is.
     */
    public <T> T execute(Step<T> step) {
        try {
            return submit(step).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LedgerException("interrupted while waiting for a step to commit", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new LedgerException("couldn't run step: " + e.getCause().getMessage(), e.getCause());
        }
    }

    @SuppressWarnings("unchecked")
    private <T> CompletableFuture<T> enqueue(Step<T> step, boolean writesStore) {
        Pending p = new Pending(step, writesStore, new CompletableFuture<>());
        synchronized (queue) {
            // Checked under the lock that close() takes, so nothing is queued after the sequencer's last drain.
            if (closed) {
                throw new LedgerException("couldn't append: log \"" + origin() + "\" is closed");
            }
            queue.add(p);
        }
        return (CompletableFuture<T>) p.done();
    }

    private static void checkEntry(byte[] entry) {
        if (entry.length > EntryBundle.MAX_ENTRY) {
            throw new IllegalArgumentException("couldn't append: an entry holds at most "
                    + EntryBundle.MAX_ENTRY + " bytes, this one " + entry.length);
        }
    }

    /** The sequencer: one transaction per batch of everything queued (group commit). */
    private void sequence() {
        List<Pending> batch = new ArrayList<>();
        while (true) {
            Pending first;
            try {
                first = queue.poll(50, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                first = null;
            }
            if (first == null) {
                if (closed && queue.isEmpty()) {
                    return;
                }
                continue;
            }
            batch.clear();
            batch.add(first);
            queue.drainTo(batch, options.maxBatch() - 1);
            commit(batch);
        }
    }

    private void commit(List<Pending> batch) {
        Outcome outcome;
        try {
            try {
                outcome = commitOnce(batch);
            } catch (LogStorageException e) {
                // Another writer may have appended to the same store: catch up, then run the batch
                // once more on top of its entries. The store's compare-and-set keeps this from forking.
                if (!sync()) {
                    throw e;
                }
                outcome = commitOnce(batch);
            }
        } catch (RuntimeException | Error e) {
            LedgerException failure = new LedgerException("couldn't commit a batch of " + batch.size()
                    + " to log \"" + origin() + "\": " + e.getMessage(), e);
            for (Pending p : batch) {
                p.done().completeExceptionally(failure);
            }
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            if (outcome.failures()[i] != null) {
                batch.get(i).done().completeExceptionally(outcome.failures()[i]);
            } else {
                batch.get(i).done().complete(outcome.results()[i]);
            }
        }
    }

    private record Outcome(Object[] results, Throwable[] failures) {
    }

    /**
     * One transaction for the batch on top of the current snapshot: every step in a savepoint of
     * its own, then the tiles and the signed checkpoint for the entries the steps appended.
     */
    private Outcome commitOnce(List<Pending> batch) {
        Snapshot before = snapshotRef.get();
        Object[] results = new Object[batch.size()];
        Throwable[] failures = new Throwable[batch.size()];
        List<byte[]> entries = new ArrayList<>(batch.size());
        try (LogStorage.Transaction tx = storage.begin()) {
            Appender appender = new Appender() {
                @Override
                public Object handle() {
                    return tx.handle();
                }

                @Override
                public long append(byte[] entry) {
                    checkEntry(entry);
                    entries.add(entry);
                    return before.size() + entries.size() - 1;
                }
            };
            for (int i = 0; i < batch.size(); i++) {
                Pending p = batch.get(i);
                int mark = entries.size();
                if (p.writesStore()) {
                    tx.mark();
                }
                try {
                    results[i] = p.step().run(appender);
                    if (p.writesStore()) {
                        tx.keepSinceMark();
                    }
                } catch (RuntimeException e) {
                    if (p.writesStore()) {
                        tx.undoToMark();
                    }
                    entries.subList(mark, entries.size()).clear();
                    failures[i] = e;
                }
            }
            if (entries.isEmpty()) {
                tx.commit(before.size(), before.size(), List.of(), before.checkpoint());
                return new Outcome(results, failures);
            }
            RightEdge.Growth growth = before.edge().append(entries);
            RightEdge after = growth.edge();
            String note = new Checkpoint(origin(), after.size(), after.root(), List.of()).sign(signer);
            tx.commit(before.size(), after.size(), growth.writes(), note);
            for (RightEdge.FullTile t : growth.completed()) {
                cache.get(t.level(), t.index(), t::nodes);
            }
            publish(new Snapshot(after, note));
            commits.incrementAndGet();
        }
        return new Outcome(results, failures);
    }

    /** How many transactions the sequencer has committed since open: with group commit, far fewer than appends. */
    public long commits() {
        return commits.get();
    }

    /** The tree size of the latest checkpoint. */
    public long size() {
        return snapshotRef.get().size();
    }

    /** The latest signed checkpoint (C2SP tlog-checkpoint), as served at {@code <prefix>/checkpoint}. */
    public String checkpoint() {
        return snapshotRef.get().checkpoint();
    }

    /**
     * A hash tile or entry bundle as C2SP tlog-tiles serves it, if it exists at the latest
     * checkpoint: full tiles, or partial tiles of any width up to the current one (a partial
     * tile is a prefix of every later version of it).
     */
    public Optional<byte[]> tile(TileId id) {
        Snapshot s = snapshotRef.get();
        int available = TileId.widthAt(id.level(), id.index(), s.size());
        if (available == 0 || id.width() > available) {
            return Optional.empty();
        }
        if (id.entries()) {
            byte[] bundle = available == TileId.FULL
                    ? storage.tile(true, 0, id.index()).orElseThrow(() -> missing(id))
                    : s.edge().partialBundle();
            // The stored bundle is served as stored; only an older, narrower width needs cutting.
            return Optional.of(id.width() == available ? bundle
                    : Arrays.copyOf(bundle, EntryBundle.prefixLength(bundle, id.width())));
        }
        // Serving a tile needs its hashes only: read the store on a miss, and leave the cache
        // (of tiles with their subtrees) to proofs.
        byte[] hashes = available == TileId.FULL ? storedFullTile(id.level(), id.index())
                : s.edge().partialTile(id.level());
        return Optional.of(Arrays.copyOf(hashes, id.width() * Hash.SIZE));
    }

    /** This log as a verifier's {@link TileSource}, in process: what {@code warden serve} serves. */
    public TileSource tileSource() {
        return new TileSource() {
            @Override
            public String checkpoint() {
                return Ledger.this.checkpoint();
            }

            @Override
            public byte[] tile(TileId id) throws IOException {
                return Ledger.this.tile(id).orElseThrow(() -> new IOException(id.path() + " is not in the log"));
            }
        };
    }

    /** The entry at {@code index}. Requires {@code 0 <= index < size()}. */
    public byte[] entry(long index) {
        Snapshot s = snapshotRef.get();
        if (index < 0 || index >= s.size()) {
            throw new IllegalArgumentException("no entry " + index + " in a log of size " + s.size());
        }
        long bundleIndex = index >>> TileId.HEIGHT;
        int position = (int) (index & (TileId.FULL - 1));
        byte[] bundle = tile(TileId.bundle(bundleIndex, TileId.widthAt(0, bundleIndex, s.size())))
                .orElseThrow(() -> new LedgerException("entry bundle " + bundleIndex + " is missing"));
        return EntryBundle.decode(bundle, position + 1).get(position);
    }

    /**
     * RFC 9162 §2.1.3.1 inclusion proof of leaf {@code index} in the tree of {@code treeSize}.
     * Requires {@code 0 <= index < treeSize <= size()}.
     */
    public List<Hash> inclusionProof(long index, long treeSize) {
        return Proofs.inclusion(index, treeSize, reader(checkedSize(treeSize), null));
    }

    /**
     * RFC 9162 §2.1.4.1 consistency proof between two tree sizes.
     * Requires {@code 0 < size1 <= size2 <= size()}.
     */
    public List<Hash> consistencyProof(long size1, long size2) {
        return Proofs.consistency(size1, size2, reader(checkedSize(size2), null));
    }

    /** An inclusion proof with the set of tiles it read, to check the tile-read bound. */
    record CountedProof(List<Hash> proof, Set<Long> tiles) {
    }

    CountedProof inclusionProofCounted(long index, long treeSize) {
        Map<Long, TileNodes> tiles = new HashMap<>();
        List<Hash> proof = Proofs.inclusion(index, treeSize, reader(checkedSize(treeSize), tiles));
        return new CountedProof(proof, tiles.keySet());
    }

    /**
     * A C2SP tlog-proof receipt for entry {@code index} against the latest checkpoint: a holder
     * of the entry and the verifier key can check it offline.
     */
    public Receipt receipt(long index) {
        Snapshot s = snapshotRef.get();
        if (index < 0 || index >= s.size()) {
            throw new IllegalArgumentException("no entry " + index + " in a log of size " + s.size());
        }
        List<Hash> proof = Proofs.inclusion(index, s.size(), reader(s, null));
        return new Receipt(Optional.empty(), index, proof, s.checkpoint());
    }

    private Snapshot checkedSize(long treeSize) {
        Snapshot s = snapshotRef.get();
        if (treeSize > s.size()) {
            throw new IllegalArgumentException("tree size " + treeSize + " is beyond the log's size " + s.size());
        }
        return s;
    }

    /**
     * Subtree hashes for proofs at any size up to the snapshot's: a subtree of height h lies in
     * the tile of level h/8, as one of the precomputed subtrees of that full tile or of the
     * snapshot's partial tile (a partial tile's prefix serves every smaller tree size).
     */
    private NodeReader reader(Snapshot s, Map<Long, TileNodes> tilesRead) {
        // Each tile is read once per proof, however many of its subtrees the proof needs.
        Map<Long, TileNodes> tiles = tilesRead != null ? tilesRead : new HashMap<>(8);
        return (height, index) -> {
            int level = height / TileId.HEIGHT;
            int r = height % TileId.HEIGHT;
            long first = index << r;
            long tile = first >>> TileId.HEIGHT;
            int offset = (int) (first & (TileId.FULL - 1));
            TileNodes nodes = tiles.computeIfAbsent(((long) level << 56) | tile,
                    k -> TileId.widthAt(level, tile, s.size()) == TileId.FULL ? fullTile(level, tile) : s.edgeNodes(level));
            return nodes.node(r, offset >>> r);
        };
    }

    private TileNodes fullTile(int level, long index) {
        return cache.get(level, index, () -> TileNodes.of(storedFullTile(level, index)));
    }

    private byte[] storedFullTile(int level, long index) {
        TileNodes cached = cache.peek(level, index);
        if (cached != null) {
            return cached.tile();
        }
        return storage.tile(false, level, index)
                .filter(t -> t.length >= TileId.FULL * Hash.SIZE)
                .map(t -> t.length == TileId.FULL * Hash.SIZE ? t : Arrays.copyOf(t, TileId.FULL * Hash.SIZE))
                .orElseThrow(() -> missing(TileId.hashes(level, index, TileId.FULL)));
    }

    private LedgerException missing(TileId id) {
        return new LedgerException("log \"" + origin() + "\" is missing its stored " + id.path());
    }

    /** Stops accepting appends, commits everything already queued, and stops the sequencer. */
    @Override
    public void close() {
        synchronized (queue) {
            closed = true;
        }
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
