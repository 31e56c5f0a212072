package io.helloserverless.lambda.wiring;

import java.util.ArrayList;
import java.util.List;
import javax.inject.Inject;
import javax.inject.Singleton;

/**
 * What a function's component opened (connections, SDK and HTTP clients, its share of the process
 * cache), registered by the module that opens each, and closed together in reverse order. In AWS a
 * function is never closed (the environment ends with the process); the laptop server and the
 * tests build and drop functions in one process, and must not leave their connections behind.
 */
@Singleton
public final class Resources implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Resources.class.getName());

    private final List<AutoCloseable> opened = new ArrayList<>();
    private boolean closed;

    @Inject
    public Resources() {
    }

    /** Registers {@code resource} to be closed with the component; returns it. */
    public synchronized <T extends AutoCloseable> T add(T resource) {
        if (closed) {
            throw new IllegalStateException("the function is closed");
        }
        opened.add(resource);
        return resource;
    }

    /** Closes each resource, the last opened first; a failure to close one is logged and the rest still closed. */
    @Override
    public synchronized void close() {
        closed = true;
        for (int i = opened.size() - 1; i >= 0; i--) {
            try {
                opened.get(i).close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "closing " + opened.get(i).getClass().getName() + " failed: "
                        + e.getClass().getName());
            }
        }
        opened.clear();
    }
}
