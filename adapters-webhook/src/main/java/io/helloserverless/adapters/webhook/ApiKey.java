package io.helloserverless.adapters.webhook;

/**
 * Where the client API key for the remote service comes from (Secrets Manager in AWS). The
 * notifier asks for {@link #refresh()} once when the remote service refuses the key, which is how
 * a rotated key is picked up. Implementations never log the key.
 */
public interface ApiKey {

    /** The key, from memory if it was fetched recently. */
    String current();

    /** The key fetched anew. */
    String refresh();

    /** A key that never changes, for the laptop and the tests. */
    static ApiKey fixed(String key) {
        return new ApiKey() {
            @Override
            public String current() {
                return key;
            }

            @Override
            public String refresh() {
                return key;
            }
        };
    }
}
