package dev.tandem.example.bank.verify;

import dev.tandem.example.bank.transfer.AccountRef;
import java.util.Map;

/**
 * The balances of all accounts read during the run, one account after another between two instants.
 *
 * @param startNanos monotonic time before the first account was read
 * @param endNanos monotonic time after the last account was read
 */
public record BalanceRead(long startNanos, long endNanos, Map<AccountRef, Long> balances) {

    public BalanceRead {
        balances = Map.copyOf(balances);
    }

    public long total() {
        return balances.values().stream().mapToLong(Long::longValue).sum();
    }
}
