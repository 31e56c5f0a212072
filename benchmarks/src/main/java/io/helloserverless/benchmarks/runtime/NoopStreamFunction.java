package io.helloserverless.benchmarks.runtime;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.InputStream;
import java.io.OutputStream;

/** The bare floor: a fresh JVM and a handler that does nothing, not even parse its event. */
public final class NoopStreamFunction implements RequestStreamHandler {

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
    }
}
