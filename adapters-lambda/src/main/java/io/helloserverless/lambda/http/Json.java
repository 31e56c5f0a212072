package io.helloserverless.lambda.http;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.helloserverless.core.domain.FileMetadata;
import io.helloserverless.core.domain.Page;
import io.helloserverless.core.usecase.CheckHealth;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Every JSON body of the API, written with one Gson instance. */
public final class Json {

    public static final Gson GSON = new GsonBuilder().disableHtmlEscaping().serializeNulls().create();

    private Json() {
    }

    /** The metadata of a file as the API shows it; the blob key stays inside. */
    record FileJson(String name, long size, String sha256, String etag, long version,
                    String createdAt, String updatedAt, String expiresAt) {

        static FileJson of(FileMetadata file) {
            return new FileJson(file.name().value(), file.size(), file.sha256(), file.etag().toString(), file.version(),
                    file.createdAt().toString(), file.updatedAt().toString(), file.expiresAt().toString());
        }
    }

    record PageJson(List<FileJson> items, String nextCursor) {
    }

    record ProblemJson(String type, String title, int status, String detail, String instance) {
    }

    public static String file(FileMetadata file) {
        return GSON.toJson(FileJson.of(file));
    }

    public static String page(Page page) {
        return GSON.toJson(new PageJson(
                page.items().stream().map(FileJson::of).toList(),
                page.next().map(c -> c.encode()).orElse(null)));
    }

    public static String problem(Problem problem, String detail, String requestId) {
        return GSON.toJson(new ProblemJson(problem.type(), problem.title(), problem.status(), detail, requestId));
    }

    /** Status and latency per dependency; names are roles, never hosts, and no error text. */
    public static String health(CheckHealth.Report report) {
        Map<String, Object> checks = new LinkedHashMap<>();
        for (CheckHealth.Check check : report.checks()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("status", check.up() ? "up" : "down");
            entry.put("required", check.required());
            entry.put("latencyMs", check.latency().toNanos() / 1_000_000.0);
            checks.put(check.name(), entry);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", report.status().name().toLowerCase(Locale.ROOT));
        body.put("checks", checks);
        return GSON.toJson(body);
    }
}
