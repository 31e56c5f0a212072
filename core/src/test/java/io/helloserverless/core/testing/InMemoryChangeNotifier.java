package io.helloserverless.core.testing;

import io.helloserverless.core.domain.ChangeEvent;
import io.helloserverless.core.port.ChangeNotifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A receiver in memory: records every attempt, answers with the outcomes it was told to, in
 * turn, and {@link ChangeNotifier.Outcome#DELIVERED} once they run out. It can also die (throw)
 * on a given attempt, as a dispatcher whose environment is ended does.
 */
public final class InMemoryChangeNotifier implements ChangeNotifier {

    private final Deque<Outcome> scripted = new ArrayDeque<>();
    private final List<ChangeEvent> attempts = new ArrayList<>();
    private final List<ChangeEvent> delivered = new ArrayList<>();
    private int dieOnAttempt = -1;

    public synchronized void answer(Outcome... outcomes) {
        scripted.addAll(List.of(outcomes));
    }

    /** The {@code attempt}-th send from now (1 for the next) throws instead of sending. */
    public synchronized void dieOnAttempt(int attempt) {
        dieOnAttempt = attempts.size() + attempt;
    }

    @Override
    public synchronized Outcome send(ChangeEvent event) {
        if (attempts.size() + 1 == dieOnAttempt) {
            dieOnAttempt = -1;
            throw new IllegalStateException("the dispatcher died");
        }
        attempts.add(event);
        Outcome outcome = scripted.isEmpty() ? Outcome.DELIVERED : scripted.poll();
        if (outcome == Outcome.DELIVERED) {
            delivered.add(event);
        }
        return outcome;
    }

    public synchronized List<ChangeEvent> attempts() {
        return List.copyOf(attempts);
    }

    public synchronized List<ChangeEvent> delivered() {
        return List.copyOf(delivered);
    }
}
