package io.helloserverless.core.domain;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/** The body of a file: strictly valid UTF-8 without NUL. Immutable. */
public final class TextContent {

    private static final TextContent EMPTY = new TextContent(new byte[0]);

    private final byte[] bytes;
    private volatile String sha256;

    private TextContent(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Validates consumer input against the policy; the bytes are copied. */
    public static TextContent of(byte[] bytes, ContentPolicy policy) {
        if (bytes.length > policy.maxBytes()) {
            throw new InvalidInputException(InvalidInputException.Violation.CONTENT_TOO_LARGE,
                    "the content is " + bytes.length + " bytes; the maximum is " + policy.maxBytes());
        }
        return validated(bytes.clone());
    }

    /**
     * Wraps bytes read back from storage: they passed validation when they were written and the
     * blob store verified their checksum, so they are not validated again. The array is not
     * copied: the caller gives it up.
     */
    public static TextContent ofStored(byte[] bytes) {
        return bytes.length == 0 ? EMPTY : new TextContent(bytes);
    }

    public static TextContent ofUtf8(String text, ContentPolicy policy) {
        return of(text.getBytes(StandardCharsets.UTF_8), policy);
    }

    private static TextContent validated(byte[] bytes) {
        if (bytes.length == 0) {
            return EMPTY;
        }
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                throw new InvalidInputException(InvalidInputException.Violation.CONTENT_NOT_TEXT,
                        "the content contains a NUL byte at offset " + i);
            }
        }
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
        } catch (CharacterCodingException e) {
            throw new InvalidInputException(InvalidInputException.Violation.CONTENT_NOT_TEXT,
                    "the content is not valid UTF-8");
        }
        return new TextContent(bytes);
    }

    public int size() {
        return bytes.length;
    }

    /** A copy of the bytes. */
    public byte[] toByteArray() {
        return bytes.clone();
    }

    /** The bytes without a copy, read-only. */
    public ByteBuffer asByteBuffer() {
        return ByteBuffer.wrap(bytes).asReadOnlyBuffer();
    }

    public String asString() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Lower-case hex SHA-256 of the bytes, computed once. */
    public String sha256() {
        String digest = sha256;
        if (digest == null) {
            digest = HexFormat.of().formatHex(sha256Of(bytes));
            sha256 = digest;
        }
        return digest;
    }

    static byte[] sha256Of(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TextContent other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "TextContent[" + bytes.length + " bytes]";
    }
}
