package io.helloserverless.adapters.redis;

import java.util.Objects;
import java.util.Optional;

/**
 * Where Redis is and where its login comes from: locally plain TCP without a login; on
 * ElastiCache TLS with an ACL user (or an AUTH token) read from {@code credentials} on connect.
 */
public record RedisSettings(String host, int port, boolean tls, Optional<RedisCredentials> credentials) {

    public RedisSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(credentials, "credentials");
        if (host.isBlank() || port < 1 || port > 65_535) {
            throw new IllegalArgumentException("a Redis host and a port in 1..65535 are required");
        }
    }

    /** A Redis without TLS or authentication, as on a laptop or in tests. */
    public static RedisSettings plain(String host, int port) {
        return new RedisSettings(host, port, false, Optional.empty());
    }

    public RedisSettings withCredentials(RedisCredentials value) {
        return new RedisSettings(host, port, tls, Optional.of(value));
    }

    @Override
    public String toString() {
        return "RedisSettings[host=" + host + ", port=" + port + ", tls=" + tls
                + ", login=" + (credentials.isPresent() ? "(on connect)" : "(none)") + "]";
    }
}
