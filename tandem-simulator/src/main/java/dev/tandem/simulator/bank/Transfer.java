package dev.tandem.simulator.bank;

import dev.tandem.core.json.Json;
import java.nio.charset.StandardCharsets;

/** A transfer's input: {@code amount} from account {@code from} at bank A to account {@code to} at bank B. */
public record Transfer(String from, String to, long amount) {

    public String toJson() {
        return new String(Json.encode(this), StandardCharsets.UTF_8);
    }

    public static Transfer fromJson(String json) {
        return Json.decode(json.getBytes(StandardCharsets.UTF_8), Transfer.class);
    }
}
