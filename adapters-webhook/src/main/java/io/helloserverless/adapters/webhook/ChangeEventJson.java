package io.helloserverless.adapters.webhook;

import com.google.gson.JsonObject;
import io.helloserverless.core.domain.ChangeEvent;

/** The body of a delivery: the event as a flat JSON object (see docs/change-events.md). */
final class ChangeEventJson {

    private ChangeEventJson() {
    }

    static String of(ChangeEvent event) {
        JsonObject json = new JsonObject();
        json.addProperty("id", event.id().toString());
        json.addProperty("type", event.type().wireName());
        json.addProperty("name", event.name().value());
        json.addProperty("etag", event.etag().toString());
        json.addProperty("version", event.version());
        json.addProperty("size", event.size());
        json.addProperty("sha256", event.sha256());
        json.addProperty("occurredAt", event.occurredAt().toString());
        json.addProperty("sequence", event.sequence());
        return json.toString();
    }
}
