package dev.tandem.example.bank.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Query-string parameters. */
final class Query {

    private Query() {}

    static Map<String, String> parse(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(k, v);
        }
        return out;
    }

    static long number(Map<String, String> query, String name, long fallback, long min, long max) {
        String v = query.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            long n = Long.parseLong(v);
            if (n < min || n > max) {
                throw HttpProblem.badRequest("invalid_parameter", "'" + name + "' must be between " + min + " and " + max + ", was " + n).raise();
            }
            return n;
        } catch (NumberFormatException e) {
            throw HttpProblem.badRequest("invalid_parameter", "'" + name + "' must be an integer, was '" + v + "'").raise();
        }
    }
}
