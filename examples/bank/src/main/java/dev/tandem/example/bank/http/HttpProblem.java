package dev.tandem.example.bank.http;

/**
 * A request that gets an error response: the HTTP status, a machine-readable code and a reason.
 *
 * @param status the HTTP status, 4xx or 5xx
 * @param code e.g. {@code malformed_json}, {@code missing_field}, {@code INSUFFICIENT_FUNDS}
 * @param message what was wrong, for people
 */
record HttpProblem(int status, String code, String message) {

    static HttpProblem badRequest(String code, String message) {
        return new HttpProblem(400, code, message);
    }

    static HttpProblem notFound(String message) {
        return new HttpProblem(404, "not_found", message);
    }

    /** Thrown inside handlers; the server turns it into the response. */
    static final class Raised extends RuntimeException {
        final transient HttpProblem problem;

        Raised(HttpProblem problem) {
            super(problem.message(), null, false, false);
            this.problem = problem;
        }
    }

    Raised raise() {
        return new Raised(this);
    }
}
