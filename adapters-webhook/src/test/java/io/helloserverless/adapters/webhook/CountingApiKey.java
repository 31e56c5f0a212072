package io.helloserverless.adapters.webhook;

import java.util.concurrent.atomic.AtomicInteger;

/** An API key source whose stored value a test can rotate, counting how often it was fetched anew. */
final class CountingApiKey implements ApiKey {

    private volatile String cached;
    private volatile String stored;
    private final AtomicInteger refreshes = new AtomicInteger();

    CountingApiKey(String key) {
        this.cached = key;
        this.stored = key;
    }

    /** The secret is rotated; what was fetched before stays cached until a refresh. */
    void rotateTo(String key) {
        stored = key;
    }

    int refreshes() {
        return refreshes.get();
    }

    @Override
    public String current() {
        return cached;
    }

    @Override
    public String refresh() {
        refreshes.incrementAndGet();
        cached = stored;
        return cached;
    }
}
