package io.helloserverless.lambda;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * This process's open TCP connections by remote port ({@code /proc/self/fd} against
 * {@code /proc/net/tcp}): how the tests see which dependencies a function has connected to.
 */
final class Sockets {

    /** Long enough for a connection a function opens in the background on a loaded machine. */
    static final Duration BACKGROUND_CONNECT = Duration.ofSeconds(10);

    private Sockets() {
    }

    /** Whether a connection to {@code port} not in {@code before} opens within {@link #BACKGROUND_CONNECT}. */
    static boolean awaitNewConnection(int port, Set<Long> before) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(BACKGROUND_CONNECT);
        while (difference(connections(List.of(port)), before).isEmpty()) {
            if (Instant.now().isAfter(deadline)) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    static Set<Long> difference(Set<Long> after, Set<Long> before) {
        Set<Long> opened = new HashSet<>(after);
        opened.removeAll(before);
        return opened;
    }

    /** The inodes of this process's TCP sockets connected to one of {@code ports}. */
    static Set<Long> connections(List<Integer> ports) throws IOException {
        Set<Long> ours = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        ours.add(Long.parseLong(target.substring(8, target.length() - 1)));
                    }
                } catch (IOException closedMeanwhile) {
                    // the descriptor of the listing itself, or one closed since
                }
            }
        }
        Set<Long> connected = new HashSet<>();
        for (String table : List.of("/proc/self/net/tcp", "/proc/self/net/tcp6")) {
            List<String> lines = Files.readAllLines(Path.of(table));
            for (String line : lines.subList(1, lines.size())) {
                String[] columns = line.trim().split("\\s+");
                int remotePort = Integer.parseInt(columns[2].substring(columns[2].indexOf(':') + 1), 16);
                long inode = Long.parseLong(columns[9]);
                boolean listening = columns[3].equals("0A");
                if (!listening && ports.contains(remotePort) && ours.contains(inode)) {
                    connected.add(inode);
                }
            }
        }
        return connected;
    }
}
