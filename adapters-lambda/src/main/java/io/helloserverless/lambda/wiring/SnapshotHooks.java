package io.helloserverless.lambda.wiring;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.inject.Inject;
import org.crac.CheckpointException;
import org.crac.Context;
import org.crac.Resource;
import org.crac.RestoreException;

/**
 * A function's SnapStart hooks (the CRaC API, {@code org.crac}, which is a no-op on a JVM without
 * CRaC): before the checkpoint every dependency's path is primed, then every connection is closed
 * and every secret forgotten; after the restore nothing is done, because each connection opens
 * and each secret is read on first use. Priming is best effort (a failure only leaves classes for
 * the first request to load); releasing is not: if anything cannot be closed the checkpoint fails,
 * rather than a snapshot holding it.
 */
public final class SnapshotHooks implements Resource {

    private static final System.Logger LOG = System.getLogger(SnapshotHooks.class.getName());

    private final List<Priming> dependencies;

    @Inject
    public SnapshotHooks(Set<Priming> dependencies) {
        this.dependencies = List.copyOf(dependencies);
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) throws CheckpointException {
        for (Priming dependency : dependencies) {
            try {
                dependency.prime();
            } catch (Exception | LinkageError e) {
                LOG.log(System.Logger.Level.WARNING, "priming failed; the first request loads what is missing: " + e);
            }
        }
        List<Exception> failures = new ArrayList<>();
        for (Priming dependency : dependencies) {
            try {
                dependency.release();
            } catch (Exception e) {
                failures.add(e);
            }
        }
        if (!failures.isEmpty()) {
            CheckpointException failed = new CheckpointException();
            failures.forEach(failed::addSuppressed);
            throw failed;
        }
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) throws RestoreException {
        // Nothing to reopen: connections open, and secrets are read, on first use.
    }
}
