package io.helloserverless.adapters.redis;

import io.helloserverless.core.domain.DependencyFailureException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.MaintNotificationsConfig;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCredentialsProvider;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.event.connection.ReconnectFailedEvent;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.output.ByteArrayOutput;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.RedisStateMachine;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The shared tier (L2): one Redis connection, opened on first use (building it connects nothing,
 * so a SnapStart snapshot of a fresh cache carries no connection) and re-established by Lettuce
 * in the background, behind a circuit breaker. Every failure, a skipped call included, comes out as a
 * {@link DependencyFailureException}; no Lettuce type leaves this class.
 *
 * <p>How the connection is first opened is the owner's choice ({@link TieredFileCache.Connecting}): by
 * the first call, which waits for it, or in the background, in which case reads and puts skip
 * Redis (a miss, a fill of L1 only) until it is open, and only invalidations and probes wait.
 *
 * <p>The login is read from {@link RedisSettings#credentials()} when the connection is first opened
 * (a failure to read it is a Redis failure like any other). When Redis refuses it, on connect or
 * on a command, or in a background reconnect, the next call fetches it again once and connects
 * anew: a rotated password is picked up by one call, at most once per failed call (the breaker
 * spaces those out), never in a loop.
 */
final class RedisTier implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(RedisTier.class.getName());
    private static final String DEPENDENCY = "cache";

    private final RedisSettings redis;
    private final CacheSettings settings;
    private final CircuitBreaker breaker;
    /** {@link TieredFileCache.Connecting#IN_BACKGROUND}: reads and puts skip Redis until it is connected. */
    private final boolean readsSkipUntilConnected;
    /** Set by {@link #connectInBackground}: from then on a read that finds no connection starts one. */
    private volatile boolean backgroundConnectWanted;
    /** Whether a background connect is under way. */
    private final AtomicBoolean connectUnderWay = new AtomicBoolean();
    /** Set when a background reconnect was refused the login, so that the next call fetches it again. */
    private final AtomicBoolean reconnectRefused = new AtomicBoolean();

    /** What every handshake (reconnects included) sends: read on the first connect, replaced on a refusal. */
    private volatile RedisCredentials.Login login;

    /**
     * Guards the fields below. A lock rather than {@code synchronized}: connecting blocks for up to
     * the connect timeout, and on JDK 21 to 23 a virtual thread blocked in a monitor pins its carrier.
     */
    private final ReentrantLock lock = new ReentrantLock();
    private ClientResources resources;
    private RedisClient client;
    /** Written under the lock; read without it by reads that must not wait for a connect. */
    private volatile StatefulRedisConnection<byte[], byte[]> connection;

    RedisTier(RedisSettings redis, CacheSettings settings, TieredFileCache.Connecting connecting) {
        this.redis = redis;
        this.settings = settings;
        this.readsSkipUntilConnected = connecting == TieredFileCache.Connecting.IN_BACKGROUND;
        this.breaker = new CircuitBreaker(settings.breakerOpenTime(), System::nanoTime);
    }

    /** The value under {@code key}, or null when there is none. */
    byte[] get(byte[] key) {
        skipUnlessConnected("get");
        return call("get", commands -> commands.get(key));
    }

    /**
     * Stores {@code value} until {@code expiresAt} unless the key holds a value or a marker; returns
     * whether it did. The expiry is absolute ({@code PXAT}): a command delayed in a frozen socket
     * does not live longer for it.
     */
    boolean setIfAbsent(byte[] key, byte[] value, Instant expiresAt) {
        skipUnlessConnected("put");
        return "OK".equals(call("put", commands ->
                commands.set(key, value, SetArgs.Builder.nx().pxAt(expiresAt.toEpochMilli()))));
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

    /**
     * Opens the connection on a daemon thread, unless it is open, being opened, or the breaker
     * skips Redis; returns at once. From then on, until {@link #close}, a read that finds no
     * connection (the attempt failed, Redis was down) starts another the same way.
     */
    void connectInBackground() {
        backgroundConnectWanted = true;
        startConnect();
    }

    /**
     * The connect itself, which a read may start too without asking for one: a read racing
     * {@link #close} cannot make the closed tier connect again.
     */
    private void startConnect() {
        if (connection != null || breaker.isOpen() || !connectUnderWay.compareAndSet(false, true)) {
            return;
        }
        Thread.ofPlatform().daemon().name("redis-connect").start(() -> {
            lock.lock();
            try {
                // not if closed since it was asked for (a SnapStart checkpoint): no connection in a snapshot
                if (backgroundConnectWanted) {
                    ping();
                }
            } catch (DependencyFailureException e) {
                // the breaker has logged it; reads go on skipping Redis and retry once it allows
            } finally {
                lock.unlock();
                connectUnderWay.set(false);
            }
        });
    }

    /** When connecting in the background: a read finding no connection skips Redis at once, never waiting. */
    private void skipUnlessConnected(String operation) {
        if (readsSkipUntilConnected && connection == null) {
            if (backgroundConnectWanted) {
                startConnect();
            }
            throw new DependencyFailureException(DEPENDENCY, operation + " skipped: Redis is not connected yet");
        }
    }

    private <T> T call(String operation, Function<RedisCommands<byte[], byte[]>, T> command) {
        if (!breaker.tryAcquire()) {
            throw new DependencyFailureException(DEPENDENCY,
                    operation + " skipped: Redis failed less than " + settings.breakerOpenTime() + " ago");
        }
        try {
            T result = withLogin(command);
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

    /** Runs {@code command}; once more, with the login fetched again on a new connection, if Redis refused the login. */
    private <T> T withLogin(Function<RedisCommands<byte[], byte[]>, T> command) {
        try {
            return command.apply(commands());
        } catch (RuntimeException e) {
            boolean refused = reconnectRefused.getAndSet(false) || isLoginRefused(e);
            if (!refused || redis.credentials().isEmpty()) {
                throw e;
            }
            LOG.log(Level.INFO, "Redis refused the login; fetching it again");
            relogin();
            return command.apply(commands());
        }
    }

    private void relogin() {
        lock.lock();
        try {
            login = redis.credentials().orElseThrow().refresh();
            if (connection != null) {
                connection.close();
                connection = null;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Whether Redis refused the login: {@code WRONGPASS} to AUTH or HELLO, {@code NOAUTH} to a command. */
    private static boolean isLoginRefused(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && (message.startsWith("WRONGPASS") || message.startsWith("NOAUTH"))) {
                return true;
            }
        }
        return false;
    }

    /** The connection's commands, connecting first if needed (under a lock, not a monitor: connecting blocks). */
    private RedisCommands<byte[], byte[]> commands() {
        lock.lock();
        try {
            if (connection == null) {
                if (client == null) {
                    resources = DefaultClientResources.builder()
                            // reconnect no later than the breaker's next trial
                            .reconnectDelay(Delay.exponential(Duration.ZERO, settings.breakerOpenTime(), 2,
                                    TimeUnit.MILLISECONDS))
                            .build();
                    resources.eventBus().get().ofType(ReconnectFailedEvent.class)
                            .filter(event -> isLoginRefused(event.getCause()))
                            .subscribe(event -> reconnectRefused.set(true));
                    client = RedisClient.create(resources, uri());
                    client.setOptions(options());
                }
                if (login == null && redis.credentials().isPresent()) {
                    login = redis.credentials().get().current();
                }
                connection = client.connect(ByteArrayCodec.INSTANCE);
            }
            return connection.sync();
        } finally {
            lock.unlock();
        }
    }

    /** The URI's timeout bounds connecting and the handshake; commands get their own, shorter one. */
    private RedisURI uri() {
        RedisURI.Builder uri = RedisURI.builder()
                .withHost(redis.host())
                .withPort(redis.port())
                .withSsl(redis.tls())
                .withTimeout(settings.connectTimeout());
        if (redis.credentials().isPresent()) {
            // read at each handshake, so a reconnect sends the latest login
            uri.withAuthentication(RedisCredentialsProvider.from(() ->
                    io.lettuce.core.RedisCredentials.just(login.user().orElse(null), login.password())));
        }
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

    /**
     * Loads Lettuce's side of a command without a server: the client's options and URI built, a
     * GET and a conditional SET encoded into Netty buffers, and their replies decoded, as a SnapStart
     * checkpoint hook does before the snapshot. Connects nothing and starts no thread.
     */
    static void prime(RedisSettings redis, CacheSettings settings) {
        RedisTier rehearsal = new RedisTier(redis, settings, TieredFileCache.Connecting.ON_FIRST_USE);
        rehearsal.uri();
        rehearsal.options();
        byte[] key = "primed".getBytes(StandardCharsets.UTF_8);
        ByteBuf wire = Unpooled.buffer();
        RedisStateMachine replies = new RedisStateMachine(ByteBufAllocator.DEFAULT);
        try {
            ByteArrayOutput<byte[], byte[]> value = new ByteArrayOutput<>(ByteArrayCodec.INSTANCE);
            new Command<>(CommandType.GET, value, new CommandArgs<>(ByteArrayCodec.INSTANCE).addKey(key)).encode(wire);
            CommandArgs<byte[], byte[]> set = new CommandArgs<>(ByteArrayCodec.INSTANCE).addKey(key).addValue(key);
            SetArgs.Builder.nx().pxAt(Instant.now().toEpochMilli()).build(set);
            StatusOutput<byte[], byte[]> status = new StatusOutput<>(ByteArrayCodec.INSTANCE);
            new Command<>(CommandType.SET, status, set).encode(wire);
            decode(replies, "$6\r\nprimed\r\n", value);
            decode(replies, "+OK\r\n", status);
        } finally {
            wire.release();
            replies.close();
        }
    }

    private static void decode(RedisStateMachine replies, String reply, CommandOutput<?, ?, ?> output) {
        ByteBuf buffer = Unpooled.wrappedBuffer(reply.getBytes(StandardCharsets.US_ASCII));
        try {
            replies.decode(buffer, output);
        } finally {
            buffer.release();
        }
    }

    /**
     * Closes the connection and the client's threads and forgets the login; the next call connects
     * again, reading the login anew.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            login = null;
            // after a restore, reads skip Redis again until the owner asks for the connection
            backgroundConnectWanted = false;
            if (connection != null) {
                connection.close();
                connection = null;
            }
            if (client != null) {
                client.shutdown();
                resources.shutdown(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
                client = null;
                resources = null;
            }
        } finally {
            lock.unlock();
        }
    }
}
