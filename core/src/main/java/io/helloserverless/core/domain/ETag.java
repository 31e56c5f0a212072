package io.helloserverless.core.domain;

import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * One revision of a file: generated per write and never reused, so a stale tag cannot match a
 * file that was deleted and created again. Outside the service it has one form, the HTTP entity
 * tag with its quotes ({@link #toString()}, {@code "0f3c…"}): in the {@code ETag} header, in every
 * JSON body of the API and of the change events, and in {@code If-Match}. Inside, its bare
 * {@link #id()} is the database column, the cache's field and the blob's key
 * ({@link BlobKey#forRevision}).
 */
public record ETag(String id) {

    private static final Pattern ID = Pattern.compile("[0-9a-f]{32}");

    public ETag {
        Objects.requireNonNull(id, "id");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("not a revision id: " + id);
        }
    }

    /** A new revision's tag. */
    public static ETag next() {
        UUID random = UUID.randomUUID();
        return new ETag(HexFormat.of().toHexDigits(random.getMostSignificantBits())
                + HexFormat.of().toHexDigits(random.getLeastSignificantBits()));
    }

    /**
     * The tag an entity tag's opaque part (between the quotes) names; empty when it is not one
     * this service issues, which can then match no file.
     */
    public static Optional<ETag> ofOpaque(String opaque) {
        return opaque != null && ID.matcher(opaque).matches() ? Optional.of(new ETag(opaque)) : Optional.empty();
    }

    /** The outside form: the entity tag, in double quotes. */
    @Override
    public String toString() {
        return '"' + id + '"';
    }
}
