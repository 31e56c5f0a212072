package io.helloserverless.core.domain;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * Where the next page of a listing starts: after {@code lastName}. Opaque to consumers
 * (URL-safe base64 of a versioned form), so its shape can change without breaking them.
 */
public record Cursor(FileName lastName) {

    private static final String FORM = "v1:";

    public Cursor {
        Objects.requireNonNull(lastName, "lastName");
    }

    public String encode() {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((FORM + lastName.value()).getBytes(StandardCharsets.UTF_8));
    }

    public static Cursor decode(String token) {
        Objects.requireNonNull(token, "token");
        try {
            byte[] raw = Base64.getUrlDecoder().decode(token);
            String text = StandardCharsets.UTF_8.newDecoder()
                    .decode(ByteBuffer.wrap(raw)).toString();
            if (!text.startsWith(FORM)) {
                throw invalid();
            }
            return new Cursor(new FileName(text.substring(FORM.length())));
        } catch (IllegalArgumentException | CharacterCodingException | InvalidInputException e) {
            throw invalid();
        }
    }

    private static InvalidInputException invalid() {
        return new InvalidInputException(InvalidInputException.Violation.INVALID_CURSOR,
                "the cursor is not one this service issued");
    }
}
