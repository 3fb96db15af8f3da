package io.cwbridge.globalsync;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;

/**
 * A global sync run's ConnectWise reads a few items ahead of the item being compared (issue 14): the
 * reads of the next companies or agreements wait on the network while this thread compares and
 * writes. Results come back in the keys' order; a read that failed throws from {@link #next} for
 * its own item only. Every read still passes the tenant's rate limit in {@code ConnectWiseClient}.
 */
final class ReadAhead<K, V> {

    private final Iterator<K> keys;
    private final Function<K, V> read;
    private final ExecutorService executor;
    private final int window;
    private final Deque<CompletableFuture<V>> inFlight = new ArrayDeque<>();

    ReadAhead(List<K> keys, Function<K, V> read, ExecutorService executor, int window) {
        this.keys = keys.iterator();
        this.read = read;
        this.executor = executor;
        this.window = window;
        fill();
    }

    /** The next key's read, in order; its failure as it was thrown. */
    V next() {
        CompletableFuture<V> head = inFlight.removeFirst();
        fill();
        try {
            return head.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw e;
        }
    }

    private void fill() {
        while (inFlight.size() < window && keys.hasNext()) {
            K key = keys.next();
            inFlight.addLast(CompletableFuture.supplyAsync(() -> read.apply(key), executor));
        }
    }
}
