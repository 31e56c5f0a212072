package io.helloserverless.faults;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Passwords and keys made up for one run: never in the code, never the same twice. */
final class Secrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {
    }

    static String random() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
