package io.helloserverless.rehearsal.function;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A function for the runtime emulation's own tests, loaded by the runtime interface client from a
 * zip: the event {@code "sleep"} outlasts any timeout, {@code "throw"} fails, anything else is
 * echoed. {@code FAIL_INIT=true} makes the constructor, so the init phase, fail.
 */
public final class TestHandler {

    public TestHandler() {
        if ("true".equals(System.getenv("FAIL_INIT"))) {
            throw new IllegalStateException("init failed on purpose");
        }
    }

    public void handleRequest(InputStream in, OutputStream out) throws Exception {
        String event = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        switch (event) {
            case "\"sleep\"" -> Thread.sleep(60_000);
            case "\"throw\"" -> throw new UnsupportedOperationException("failed on purpose");
            default -> out.write(("{\"echo\":" + event + "}").getBytes(StandardCharsets.UTF_8));
        }
    }
}
