package io.helloserverless.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.net.ssl.SSLSocket;

/**
 * One HTTPS connection written byte by byte, for what the JDK's HTTP client will not do: send
 * headers and then no body, trickle a body, send {@code Expect} and wait, read an interim answer.
 */
final class RawClient implements AutoCloseable {

    /** A response: status, headers (names in lower case) and the body as text. */
    record Response(int status, Map<String, String> headers, String body) {
    }

    private final SSLSocket socket;
    private final InputStream in;
    private final OutputStream out;
    private boolean reset;

    private RawClient(SSLSocket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    static RawClient connect(int port, Path certificate, Duration readTimeout) throws Exception {
        SSLSocket socket = (SSLSocket) TrustedCertificate.sslContext(certificate).getSocketFactory().createSocket("localhost", port);
        socket.setSoTimeout((int) readTimeout.toMillis());
        socket.startHandshake();
        return new RawClient(socket);
    }

    /** The JDK's client, for the well-behaved requests beside the raw ones. */
    static HttpClient httpClient(Path certificate) throws Exception {
        return HttpClient.newBuilder().sslContext(TrustedCertificate.sslContext(certificate)).connectTimeout(Duration.ofSeconds(5)).build();
    }

    RawClient write(String ascii) throws IOException {
        return write(ascii.getBytes(StandardCharsets.ISO_8859_1));
    }

    RawClient write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** The next response on the connection (an interim {@code 100} included), its body by {@code Content-Length}. */
    Response read() throws IOException {
        return read(false);
    }

    /** The next response; one to HEAD ({@code bodiless}) has no body whatever its {@code Content-Length}. */
    Response read(boolean bodiless) throws IOException {
        String[] head = readHead().split("\r\n");
        int status = Integer.parseInt(head[0].split(" ")[1]);
        Map<String, String> headers = new TreeMap<>();
        for (int i = 1; i < head.length; i++) {
            int colon = head[i].indexOf(':');
            headers.put(head[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), head[i].substring(colon + 1).trim());
        }
        int length = bodiless ? 0 : Integer.parseInt(headers.getOrDefault("content-length", "0"));
        return new Response(status, headers, new String(in.readNBytes(length), StandardCharsets.UTF_8));
    }

    /** Whether the server closed the connection (end of stream or reset) before the read timeout. */
    boolean closedByServer() throws IOException {
        try {
            while (in.read() >= 0) {
                // a response may come first: read on to the end
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            reset = true;
            return true;
        }
    }

    /** Whether {@link #closedByServer} met a reset rather than an end of stream. */
    boolean wasReset() {
        return reset;
    }

    private String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the connection ended before a response: " + head);
            }
            head.write(b);
            matched = (b == '\r' && matched % 2 == 0) || (b == '\n' && matched % 2 == 1) ? matched + 1 : 0;
        }
        return head.toString(StandardCharsets.ISO_8859_1).strip();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
