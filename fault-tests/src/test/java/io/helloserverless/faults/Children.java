package io.helloserverless.faults;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every child process the suite starts (redis-server, the servers' JVMs), so that none outlives
 * it: the suite kills them in {@code @AfterAll}, and this JVM's shutdown hook kills whatever is
 * left if the test JVM ends some other way (SIGKILL of the test JVM itself cannot be caught).
 */
final class Children {

    private static final Set<Process> PROCESSES = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(Children::killAll, "kill-children"));
    }

    private Children() {
    }

    static void register(Process process) {
        PROCESSES.add(process);
    }

    /** SIGKILL to each one still alive (a frozen one too), and wait for it. */
    static void killAll() {
        for (Process process : PROCESSES) {
            process.destroyForcibly();
            process.onExit().join();
            PROCESSES.remove(process);
        }
    }
}
