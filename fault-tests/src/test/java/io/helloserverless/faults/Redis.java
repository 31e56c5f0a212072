package io.helloserverless.faults;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * The servers' Redis: a {@code redis-server} child process without persistence, which the test
 * kills (SIGKILL: connections drop at once, the data is gone), freezes (SIGSTOP: TCP still
 * accepts, nothing answers) and starts again on the same port.
 */
final class Redis {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    private final int port;
    private final Path log;
    private Process process;

    private Redis(int port, Path log) {
        this.port = port;
        this.log = log;
    }

    /** On a free port; another free port if that one was taken before redis-server bound it. */
    static Redis start(Path folder) throws IOException, InterruptedException {
        Files.createDirectories(folder);
        for (int attempt = 1; ; attempt++) {
            Redis redis = new Redis(Ports.free(), folder.resolve("redis.log"));
            try {
                redis.restart();
                return redis;
            } catch (IllegalStateException e) {
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    int port() {
        return port;
    }

    /** Starts redis-server (again) on the same port and waits until it answers PING. */
    void restart() throws IOException, InterruptedException {
        process = new ProcessBuilder(binary().toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        Children.register(process);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        // Alive first: a PONG from a process of someone else's on that port does not count.
        while (!(process.isAlive() && answersPing())) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IllegalStateException("redis-server did not start on port " + port + ", see " + log);
            }
            Thread.sleep(20);
        }
    }

    /** SIGKILL (a frozen server too). */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGSTOP. */
    void freeze() throws IOException, InterruptedException {
        signal("-STOP");
    }

    /** SIGCONT. */
    void thaw() throws IOException, InterruptedException {
        signal("-CONT");
    }

    Path log() {
        return log;
    }


    private void signal(String signal) throws IOException, InterruptedException {
        int exit = new ProcessBuilder("kill", signal, Long.toString(process.pid())).inheritIO().start().waitFor();
        if (exit != 0) {
            throw new IllegalStateException("kill " + signal + " " + process.pid() + " failed with " + exit);
        }
    }

    private boolean answersPing() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            socket.setSoTimeout(200);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return "+PONG\r\n".equals(new String(in.readNBytes(7), StandardCharsets.US_ASCII));
        } catch (IOException e) {
            return false;
        }
    }

    private static Path binary() {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .map(directory -> Path.of(directory, "redis-server"))
                .filter(Files::isExecutable)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(
                        "redis-server is not on the PATH; install it (Debian: apt-get install redis-server)"));
    }
}
