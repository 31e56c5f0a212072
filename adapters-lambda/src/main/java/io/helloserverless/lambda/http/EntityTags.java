package io.helloserverless.lambda.http;

import io.helloserverless.core.domain.ETag;
import io.helloserverless.core.domain.ETagMatch;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses {@code If-Match} / {@code If-None-Match}: {@code *} or a list of entity tags (RFC 9110 8.8.3). */
final class EntityTags {

    private static final Pattern TAG = Pattern.compile("\\s*(W/)?\"([\\x21\\x23-\\x7e\\x80-\\xff]*)\"\\s*(,|$)");

    private EntityTags() {
    }

    static ETagMatch parse(String header, boolean weakComparison) {
        if (header.strip().equals("*")) {
            return ETagMatch.ANY;
        }
        Set<ETag> tags = new HashSet<>();
        Matcher m = TAG.matcher(header);
        int at = 0;
        while (at < header.length()) {
            if (!m.find(at) || m.start() != at) {
                throw new HttpProblem(Problem.INVALID_PRECONDITION,
                        "a precondition header must be * or a list of quoted entity tags");
            }
            if (m.group(1) == null || weakComparison) {
                // A tag this service never issued matches no file; it is still a valid header.
                ETag.ofOpaque(m.group(2)).ifPresent(tags::add);
            }
            at = m.end();
        }
        if (at == 0) {
            throw new HttpProblem(Problem.INVALID_PRECONDITION, "a precondition header must not be empty");
        }
        return new ETagMatch(false, tags);
    }
}
