package io.helloserverless.core.domain;

import java.util.Objects;
import java.util.Set;

/**
 * The entity tags named by a precondition ({@code If-Match}, {@code If-None-Match}): either any
 * current revision ({@code *}) or one of the listed ETags, compared strongly.
 */
public record ETagMatch(boolean any, Set<ETag> etags) {

    public static final ETagMatch NONE = new ETagMatch(false, Set.of());
    public static final ETagMatch ANY = new ETagMatch(true, Set.of());

    public ETagMatch {
        etags = Set.copyOf(Objects.requireNonNull(etags, "etags"));
    }

    public static ETagMatch of(ETag... etags) {
        return new ETagMatch(false, Set.of(etags));
    }

    public boolean matches(ETag etag) {
        return any || etags.contains(etag);
    }
}
