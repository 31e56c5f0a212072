package io.helloserverless.local;

import io.helloserverless.lambda.ApiHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Execution environments on the laptop: per function, up to {@code maxPerFunction} handler
 * instances, each used by one request at a time as Lambda does, created when first needed. A
 * request waits a bounded time for one (Lambda would throttle it at once); {@link #close} closes
 * every instance built, the busy ones when they come back.
 */
final class FunctionPool implements AutoCloseable {

    private record Pool(Supplier<ApiHandler> factory, BlockingQueue<ApiHandler> idle, Semaphore capacity) {
    }

    private final Map<String, Pool> pools = new ConcurrentHashMap<>();
    private volatile boolean closed;

    FunctionPool(Map<String, Supplier<ApiHandler>> factories, int maxPerFunction) {
        factories.forEach((name, factory) -> pools.put(name,
                new Pool(factory, new ArrayBlockingQueue<>(maxPerFunction), new Semaphore(maxPerFunction))));
    }

    /** An instance of {@code function}, or empty when none was free within {@code wait} (or the pool is closed). */
    Optional<ApiHandler> borrow(String function, Duration wait) {
        Pool pool = pools.get(function);
        if (pool == null) {
            throw new IllegalStateException("no function named " + function);
        }
        try {
            if (closed || !pool.capacity().tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS)) {
                return Optional.empty();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        ApiHandler handler = pool.idle().poll();
        if (handler == null) {
            try {
                handler = pool.factory().get();
            } catch (RuntimeException e) {
                pool.capacity().release();
                throw e;
            }
        }
        return Optional.of(handler);
    }

    void giveBack(String function, ApiHandler handler) {
        Pool pool = pools.get(function);
        if (closed) {
            closeQuietly(handler);
        } else {
            pool.idle().offer(handler);
            if (closed && pool.idle().remove(handler)) {
                closeQuietly(handler);
            }
        }
        pool.capacity().release();
    }

    /** Closes the idle instances now; one still serving a request is closed when given back. */
    @Override
    public void close() {
        closed = true;
        List<ApiHandler> idle = new ArrayList<>();
        pools.values().forEach(pool -> pool.idle().drainTo(idle));
        idle.forEach(FunctionPool::closeQuietly);
    }

    private static void closeQuietly(ApiHandler handler) {
        try {
            handler.close();
        } catch (Exception e) {
            System.getLogger(FunctionPool.class.getName()).log(System.Logger.Level.WARNING,
                    "closing a function failed: " + e.getClass().getName());
        }
    }
}
