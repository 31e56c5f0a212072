package io.helloserverless.adapters.postgres;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/** Prints how long the module's test run took (servers started, tables filled, tests run). */
public final class SuiteTimer implements LauncherSessionListener {

    private long start;

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        start = System.nanoTime();
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        System.out.printf("[adapters-postgres] test session took %.1f s%n", (System.nanoTime() - start) / 1e9);
    }
}
