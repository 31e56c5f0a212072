package io.helloserverless.lambda.http;

import io.helloserverless.core.domain.FileMetadata;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/** The headers that describe a file revision. */
final class Headers {

    static final String TEXT_PLAIN = "text/plain; charset=utf-8";

    private Headers() {
    }

    static String lastModified(FileMetadata file) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(file.updatedAt().atOffset(ZoneOffset.UTC));
    }

    /** RFC 9530 {@code Repr-Digest}: the SHA-256 of the stored bytes, base64 in a byte sequence. */
    static String reprDigest(FileMetadata file) {
        return "sha-256=:" + Base64.getEncoder().encodeToString(HexFormat.of().parseHex(file.sha256())) + ":";
    }

    static String location(FileMetadata file) {
        return "/v1/files/" + percentEncode(file.name().value());
    }

    /**
     * Checks {@code Content-Type}: {@code text/plain} with no charset, {@code utf-8} or
     * {@code us-ascii} (ASCII is a subset of UTF-8, and the bytes are validated anyway).
     */
    static void requirePlainText(Optional<String> contentType) {
        String value = contentType.orElseThrow(() -> new HttpProblem(Problem.UNSUPPORTED_MEDIA_TYPE,
                "Content-Type is required and must be text/plain"));
        String[] parts = value.split(";");
        if (!parts[0].strip().equalsIgnoreCase("text/plain")) {
            throw new HttpProblem(Problem.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be text/plain");
        }
        for (int i = 1; i < parts.length; i++) {
            String[] parameter = parts[i].split("=", 2);
            if (parameter.length != 2) {
                throw new HttpProblem(Problem.UNSUPPORTED_MEDIA_TYPE, "malformed Content-Type parameter");
            }
            String name = parameter[0].strip().toLowerCase(Locale.ROOT);
            String charset = parameter[1].strip().replace("\"", "").toLowerCase(Locale.ROOT);
            if (name.equals("charset") && !charset.equals("utf-8") && !charset.equals("us-ascii")) {
                throw new HttpProblem(Problem.UNSUPPORTED_MEDIA_TYPE, "the charset must be utf-8 or us-ascii");
            }
        }
    }

    static String percentEncode(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-._~".indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
