package io.helloserverless.benchmarks.runtime;

/**
 * Phase marks that cost nothing to record: loading each class shows up, with the JVM's uptime, in
 * the {@code -Xlog:class+load} log beside the libraries' classes, so the log alone tells which
 * classes were loaded in which phase.
 */
final class Marks {

    private Marks() {
    }

    static final class Initialised {
        static void mark() {
        }
    }

    /** Just before the restore hook ({@link RestoreRuntime}). */
    static final class Restoring {
        static void mark() {
        }
    }

    static final class Handled {
        static void mark() {
        }
    }
}
