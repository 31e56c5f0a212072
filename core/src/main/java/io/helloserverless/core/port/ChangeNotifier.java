package io.helloserverless.core.port;

import io.helloserverless.core.domain.ChangeEvent;

/** Tells the remote service of one change. Sending the same event twice is allowed: it carries its id. */
public interface ChangeNotifier {

    /** How an attempt ended. Failures to reach the receiver are outcomes too, not exceptions. */
    enum Outcome {
        /** The receiver took the event. */
        DELIVERED,
        /** The receiver refused the event for good (it is malformed for it): sending it again is useless. */
        REJECTED_PERMANENTLY,
        /** The receiver could not be reached, timed out or failed: try again later. */
        FAILED_RETRYABLY,
        /** The receiver refused the credentials, even fetched anew: try again later, after a rotation. */
        UNAUTHORISED
    }

    Outcome send(ChangeEvent event);
}
