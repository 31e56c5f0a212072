package io.helloserverless.adapters.redis;

import java.util.Objects;
import java.util.Optional;

/**
 * Where Redis is and how to log in: locally plain TCP without a password; on ElastiCache TLS
 * with an AUTH token, optionally with an ACL user. {@link #toString()} never shows the password.
 */
public record RedisSettings(String host, int port, boolean tls, Optional<String> user, Optional<String> password) {

    public RedisSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        if (host.isBlank() || port < 1 || port > 65_535) {
            throw new IllegalArgumentException("a Redis host and a port in 1..65535 are required");
        }
        if (user.isPresent() && password.isEmpty()) {
            throw new IllegalArgumentException("an ACL user needs a password");
        }
    }

    /** A Redis without TLS or authentication, as on a laptop or in tests. */
    public static RedisSettings plain(String host, int port) {
        return new RedisSettings(host, port, false, Optional.empty(), Optional.empty());
    }

    @Override
    public String toString() {
        return "RedisSettings[host=" + host + ", port=" + port + ", tls=" + tls + ", user=" + user.orElse("-")
                + ", password=" + (password.isPresent() ? "(set)" : "(none)") + "]";
    }
}
