package io.helloserverless.adapters.redis;

import io.helloserverless.core.domain.DependencyFailureException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.MaintNotificationsConfig;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The shared tier (L2): one Redis connection, opened on first use (building it connects nothing,
 * so a SnapStart snapshot of a fresh cache carries no connection) and re-established by Lettuce
 * in the background, behind a circuit breaker. Every failure, a skipped call included, comes out as a
 * {@link DependencyFailureException}; no Lettuce type leaves this class.
 */
final class RedisTier implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(RedisTier.class.getName());
    private static final String DEPENDENCY = "cache";

    private final RedisSettings redis;
    private final CacheSettings settings;
    private final CircuitBreaker breaker;

    private ClientResources resources;
    private RedisClient client;
    private StatefulRedisConnection<byte[], byte[]> connection;

    RedisTier(RedisSettings redis, CacheSettings settings) {
        this.redis = redis;
        this.settings = settings;
        this.breaker = new CircuitBreaker(settings.breakerOpenTime(), System::nanoTime);
    }

    /** The value under {@code key}, or null when there is none. */
    byte[] get(byte[] key) {
        return call("get", commands -> commands.get(key));
    }

    /** Stores {@code value} for the shared TTL unless the key holds a value or a marker; returns whether it did. */
    boolean setIfAbsent(byte[] key, byte[] value) {
        return "OK".equals(call("put", commands ->
                commands.set(key, value, SetArgs.Builder.nx().px(settings.sharedTtl()))));
    }

    /** Replaces whatever {@code key} holds by a marker that lives for the invalidation window. */
    void mark(byte[] key) {
        call("invalidate", commands ->
                commands.set(key, CacheCodec.marker(), SetArgs.Builder.px(settings.invalidationWindow())));
    }

    void ping() {
        String answer = call("ping", RedisCommands::ping);
        if (!"PONG".equals(answer)) {
            throw new DependencyFailureException(DEPENDENCY, "ping was not answered with PONG");
        }
    }

    private <T> T call(String operation, Function<RedisCommands<byte[], byte[]>, T> command) {
        if (!breaker.tryAcquire()) {
            throw new DependencyFailureException(DEPENDENCY,
                    operation + " skipped: Redis failed less than " + settings.breakerOpenTime() + " ago");
        }
        try {
            T result = command.apply(commands());
            if (breaker.succeeded()) {
                LOG.log(Level.INFO, "Redis answers again; using it");
            }
            return result;
        } catch (RuntimeException e) {
            if (breaker.failed()) {
                LOG.log(Level.WARNING, "Redis {0} failed; skipping Redis for {1}: {2}",
                        operation, settings.breakerOpenTime(), e.toString());
            }
            throw new DependencyFailureException(DEPENDENCY, operation + " failed", e);
        }
    }

    private synchronized RedisCommands<byte[], byte[]> commands() {
        if (connection == null) {
            if (client == null) {
                resources = DefaultClientResources.builder()
                        // reconnect no later than the breaker's next trial
                        .reconnectDelay(Delay.exponential(Duration.ZERO, settings.breakerOpenTime(), 2,
                                TimeUnit.MILLISECONDS))
                        .build();
                client = RedisClient.create(resources, uri());
                client.setOptions(options());
            }
            connection = client.connect(ByteArrayCodec.INSTANCE);
        }
        return connection.sync();
    }

    /** The URI's timeout bounds connecting and the handshake; commands get their own, shorter one. */
    private RedisURI uri() {
        RedisURI.Builder uri = RedisURI.builder()
                .withHost(redis.host())
                .withPort(redis.port())
                .withSsl(redis.tls())
                .withTimeout(settings.connectTimeout());
        redis.password().ifPresent(password -> {
            if (redis.user().isPresent()) {
                uri.withAuthentication(redis.user().get(), password);
            } else {
                uri.withPassword(password);
            }
        });
        return uri.build();
    }

    private ClientOptions options() {
        return ClientOptions.builder()
                .autoReconnect(true)
                // while the connection is down, fail at once instead of queueing until the timeout
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(settings.commandTimeout()))
                // a maintenance notice would stretch the command timeout to seconds; a cache would rather miss
                .maintNotificationsConfig(MaintNotificationsConfig.disabled())
                .socketOptions(SocketOptions.builder()
                        .connectTimeout(settings.connectTimeout())
                        .keepAlive(true)
                        .build())
                .build();
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            connection.close();
        }
        if (client != null) {
            client.shutdown();
            resources.shutdown(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        }
    }
}
