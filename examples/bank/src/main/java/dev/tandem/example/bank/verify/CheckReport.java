package dev.tandem.example.bank.verify;

import java.util.List;

/**
 * What the checker found.
 *
 * @param issued transfers the clients issued
 * @param committed of those, committed
 * @param compensated of those, compensated
 * @param resolvedUnknowns timed-out requests whose outcome a query found
 * @param initialTotal the sum of the initial balances
 * @param finalTotal the sum of the final balances
 * @param violations every broken guarantee, empty when the run is correct
 */
public record CheckReport(int issued, int committed, int compensated, int resolvedUnknowns, long initialTotal, long finalTotal,
                          List<Violation> violations) {

    public CheckReport {
        violations = List.copyOf(violations);
    }

    public boolean ok() {
        return violations.isEmpty();
    }

    public boolean has(Violation.Rule rule) {
        return violations.stream().anyMatch(v -> v.rule() == rule);
    }
}
