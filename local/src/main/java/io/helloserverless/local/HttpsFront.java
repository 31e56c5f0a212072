package io.helloserverless.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.helidon.common.tls.Tls;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpPrologue;
import io.helidon.http.RequestException;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.http.encoding.ContentEncodingContext;
import io.helidon.http.media.MediaContext;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionListener;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The laptop server's HTTPS front: Helidon's web server (its own HTTP/1.1 parser, a virtual
 * thread per connection) on the loopback interface, TLSv1.3 and TLSv1.2 only, with the limits of
 * {@link Limits}. Every answer is a problem ({@code application/problem+json} with {@code
 * X-Request-Id}), those to requests it cannot parse included ({@link #transportProblem}); a
 * request that gets through the parser goes to {@code handler}, whose failures become problems too.
 * See docs/adr/0014-laptop-server-front.md.
 */
public final class HttpsFront implements AutoCloseable {

    /**
     * What the front enforces: the request line ({@code 414} beyond), the header section ({@code
     * 431}), a body's announced or sent length ({@code 413}; more than the largest file is refused
     * by the handler, which reads a small one first so that the close does not reset the answer),
     * requests served at once ({@code 503} with {@code Retry-After} beyond), connections at once
     * (more wait in the backlog), the {@link Deadline} of a request and the idle time of a
     * connection between requests (and before its first: the TLS handshake, a request line trickled).
     */
    record Limits(int maxRequestLineBytes, int maxHeaderBytes, long maxPayloadBytes, int maxRequests,
                  int maxConnections, Duration requestTimeout, Duration idleTimeout) {

        /** The laptop server's defaults (LocalOptions), for a front that takes no options. */
        static Limits defaults() {
            return new Limits(4096, 16 * 1024, ApiGatewayBridge.DRAIN_LIMIT, 64, 1024, Duration.ofSeconds(30),
                    Duration.ofSeconds(30));
        }
    }

    /** Helidon's message for a header section larger than its limit, which it refuses as a plain 400. */
    static final String HEADERS_TOO_LARGE = "Header size exceeded";

    /**
     * Helidon logs through the JDK's logging, at INFO for each start and stop: only its warnings
     * are kept (the logger held here, or the setting would go with it).
     */
    private static final java.util.logging.Logger HELIDON_LOG = java.util.logging.Logger.getLogger("io.helidon");

    static {
        HELIDON_LOG.setLevel(java.util.logging.Level.WARNING);
        // Helidon's start would scan every jar's metadata (a thread of its own, some 0.2 s of CPU during
        // the laptop server's start) for a banner of its features; it prints the banner of the first flavor set only.
        io.helidon.common.features.HelidonFeatures.flavor(io.helidon.common.features.api.HelidonFlavor.MP);
    }

    private final Limits limits;
    private final WebServer server;
    /** Both set by {@link #start(Handler)}, before the first connection is accepted. */
    private volatile Handler handler;
    private volatile Deadline.Watch deadlines;

    /**
     * A front with the laptop server's default limits but the requests served at once (the
     * benchmarks' static floor runs on this, as many at once as it has clients).
     */
    public static HttpsFront start(int port, SSLContext tls, int maxRequests, Handler handler) {
        Limits defaults = Limits.defaults();
        return prepare(port, tls, new Limits(defaults.maxRequestLineBytes(), defaults.maxHeaderBytes(),
                defaults.maxPayloadBytes(), maxRequests, defaults.maxConnections(), defaults.requestTimeout(),
                defaults.idleTimeout())).start(handler);
    }

    /**
     * A front configured but not listening yet: Helidon's set-up (some 0.5 s of class loading and
     * service discovery on a laptop) can run while the databases start.
     */
    static HttpsFront prepare(int port, SSLContext tls, Limits limits) {
        return new HttpsFront(port, tls, limits);
    }

    private HttpsFront(int port, SSLContext tls, Limits limits) {
        this.limits = limits;
        SSLParameters ssl = tls.getDefaultSSLParameters();
        ssl.setProtocols(LocalServer.PROTOCOLS);
        ssl.setCipherSuites(LocalServer.cipherSuites(ssl.getCipherSuites()));
        Http1Config http1 = Http1Config.builder()
                .maxPrologueLength(limits.maxRequestLineBytes())
                .maxHeadersSize(limits.maxHeaderBytes())
                .validatePath(true)
                .validatePrologue(true)
                // 100 Continue only once the handler reads the body: a refusal comes instead of it.
                .continueImmediately(false)
                .sendKeepAliveHeader(false)
                .receiveLog(false)
                .sendLog(false)
                .addReceiveListener(new Http1ConnectionListener() {
                    @Override
                    public void prologue(ConnectionContext connection, HttpPrologue prologue) {
                        deadlines.start(connection, prologue.method().text().equals("HEAD"));
                    }
                })
                .build();
        Duration idle = limits.idleTimeout();
        server = WebServer.builder()
                // Only what is configured here: no scan of the class path for features, protocols, media or encodings.
                .featuresDiscoverServices(false)
                .protocolsDiscoverServices(false)
                .concurrencyLimitDiscoverServices(false)
                .mediaContext(MediaContext.builder().mediaSupportsDiscoverServices(false).build())
                .contentEncoding(ContentEncodingContext.builder().contentEncodingsDiscoverServices(false).build())
                .address(InetAddress.getLoopbackAddress())
                .port(port)
                .tls(Tls.builder().sslContext(tls).sslParameters(ssl).build())
                .addProtocol(http1)
                .maxPayloadSize(limits.maxPayloadBytes())
                .maxConcurrentRequests(limits.maxRequests())
                .maxTcpConnections(limits.maxConnections())
                .idleConnectionTimeout(idle)
                .idleConnectionPeriod(idle.dividedBy(4).compareTo(Duration.ofSeconds(1)) < 0 ? idle.dividedBy(4) : Duration.ofSeconds(1))
                .shutdownGracePeriod(Duration.ofMillis(500))
                // LocalServer's own hook closes the server, then what it serves from, in order.
                .shutdownHook(false)
                // Helidon's message (not sent on) tells a header section too large from other 400s.
                .errorHandling(errors -> errors.includeEntity(true))
                .directHandlers(DirectHandlers.builder()
                        .addHandler(DirectHandler.EventType.BAD_REQUEST, HttpsFront::transportProblem)
                        .addHandler(DirectHandler.EventType.PAYLOAD_TOO_LARGE, HttpsFront::transportProblem)
                        .addHandler(DirectHandler.EventType.FORBIDDEN, HttpsFront::transportProblem)
                        .addHandler(DirectHandler.EventType.INTERNAL_ERROR, HttpsFront::transportProblem)
                        .addHandler(DirectHandler.EventType.OTHER, HttpsFront::transportProblem)
                        .addHandler(DirectHandler.EventType.HTTP_VERSION_NOT_SUPPORTED, HttpsFront::transportProblem)
                        .build())
                .routing(routing -> routing.any((request, response) -> serve(handler, request, response)))
                .build();
    }

    /** Listens, and hands every request that gets through the parser to {@code handler}. */
    HttpsFront start(Handler handler) {
        this.handler = handler;
        this.deadlines = new Deadline.Watch(limits.requestTimeout());
        try {
            server.start();
            return this;
        } catch (RuntimeException e) {
            deadlines.close();
            throw e;
        }
    }

    public int port() {
        return server.port();
    }

    /** Stops listening and closes every connection (those in a request after a short grace period). */
    @Override
    public void close() {
        server.stop();
        if (deadlines != null) {
            deadlines.close();
        }
    }

    /**
     * Runs the handler under the request's deadline; a failure it throws becomes a problem ({@code
     * 503} for a lack of memory, which passes, {@code 500} otherwise), logged by its class alone as
     * the functions log theirs. What Helidon throws about the connection or the request goes back to it.
     */
    private static void serve(Handler handler, ServerRequest request, ServerResponse response) throws Exception {
        try {
            handler.handle(request, response);
        } catch (RequestException | CloseConnectionException | UncheckedIOException e) {
            throw e;
        } catch (RuntimeException | Error e) {
            System.getLogger(HttpsFront.class.getName()).log(System.Logger.Level.ERROR,
                    "serving " + request.prologue().method().text() + " failed: " + e.getClass().getName());
            if (response.isSent()) {
                throw new CloseConnectionException("a response was cut short");
            }
            boolean memory = e instanceof OutOfMemoryError;
            send(request, response, ApiGatewayBridge.gatewayProblem(memory ? 503 : 500,
                    memory ? "the server ran short of memory; retry later" : "an unexpected error occurred",
                    UUID.randomUUID().toString(), memory ? Map.of("Retry-After", "1", "Connection", "close") : Map.of()));
        } finally {
            Deadline.endCurrent();
        }
    }

    /**
     * Puts a response event on the wire, unless the deadline answered already (then the connection
     * is closed under this request, and it ends here). HEAD, 204 and 304 go without a body.
     */
    public static void send(ServerRequest request, ServerResponse response, APIGatewayProxyResponseEvent event) {
        Deadline deadline = Deadline.current();
        if (deadline != null && !deadline.answer()) {
            throw new CloseConnectionException("the deadline answered this request");
        }
        byte[] body = event.getBody() == null ? new byte[0]
                : Boolean.TRUE.equals(event.getIsBase64Encoded())
                        ? Base64.getDecoder().decode(event.getBody())
                        : event.getBody().getBytes(StandardCharsets.UTF_8);
        int status = event.getStatusCode();
        response.status(Status.create(status));
        boolean close = false;
        boolean length = false;
        if (event.getHeaders() != null) {
            for (Map.Entry<String, String> header : event.getHeaders().entrySet()) {
                response.header(header.getKey(), header.getValue());
                close |= header.getKey().equalsIgnoreCase("Connection") && header.getValue().equalsIgnoreCase("close");
                length |= header.getKey().equalsIgnoreCase("Content-Length");
            }
        }
        if (status == 204 || status == 304) {
            response.send();
        } else if (request.prologue().method().text().equals("HEAD")) {
            if (!length) {
                response.header(HeaderNames.CONTENT_LENGTH, Integer.toString(body.length));
            }
            response.send();
        } else {
            response.send(body);
        }
        if (close) {
            // Helidon writes the header but would read on: what is left of the request is not to be read.
            throw new CloseConnectionException("answered with Connection: close");
        }
    }

    /**
     * The answer to what never reached a handler: a request line or header Helidon could not parse
     * ({@code 400}), one too long ({@code 414}, {@code 431}), a body announced larger than the server
     * reads ({@code 413}), a request beyond the cap ({@code 503}), HTTP/1.0 ({@code 505}). Helidon
     * closes the connection after it. A HEAD request gets the status and headers alone.
     */
    static DirectHandler.TransportResponse transportProblem(DirectHandler.TransportRequest request,
                                                             DirectHandler.EventType type, Status status,
                                                             ServerResponseHeaders headers, String message) {
        Deadline.endCurrent();
        String requestId = UUID.randomUUID().toString();
        int code = status.code();
        if (code == 400 && HEADERS_TOO_LARGE.equals(message)) {
            code = 431;
        } else if (type == DirectHandler.EventType.INTERNAL_ERROR && request.method().isEmpty()) {
            // A failure before the request line was understood: the parser's own (a method that is
            // not a token, say), which it reports as an internal error. Handlers' failures never come
            // here: serve() answers them.
            code = 400;
        }
        APIGatewayProxyResponseEvent problem = switch (code) {
            case 413 -> ApiGatewayBridge.tooLarge(requestId);
            case 414 -> ApiGatewayBridge.gatewayProblem(414, "the request line is too long", requestId, Map.of());
            case 431 -> ApiGatewayBridge.gatewayProblem(431, "the header section is too large", requestId, Map.of());
            case 503 -> ApiGatewayBridge.gatewayProblem(503, "the server is serving as many requests as it takes; retry later",
                    requestId, Map.of("Retry-After", "1"));
            case 505 -> ApiGatewayBridge.gatewayProblem(505, "only HTTP/1.1 is served", requestId, Map.of());
            case 400 -> ApiGatewayBridge.gatewayProblem(400, "the request line or a header is malformed", requestId, Map.of());
            default -> ApiGatewayBridge.gatewayProblem(code, code < 500 ? "the request was refused" : "an unexpected error occurred",
                    requestId, Map.of());
        };
        problem.getHeaders().forEach((name, value) -> headers.set(HeaderNames.create(name), value));
        DirectHandler.TransportResponse.Builder answer = DirectHandler.TransportResponse.builder()
                .status(Status.create(code))
                .headers(headers)
                .keepAlive(false);
        if (!request.method().equals("HEAD")) {
            answer.entity(problem.getBody().getBytes(StandardCharsets.UTF_8));
        }
        return answer.build();
    }
}
