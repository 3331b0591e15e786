package dev.tandem.example.bank.verify;

import dev.tandem.core.InvalidInputException;
import dev.tandem.example.bank.transfer.AccountRef;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/** Picks accounts for transfers: uniformly, or with a few hot accounts (Zipf). */
public sealed interface AccountChooser {

    AccountRef pick(RandomGenerator random);

    /** Two different accounts: payer first. */
    default AccountRef[] pickPair(RandomGenerator random) {
        AccountRef from = pick(random);
        AccountRef to = pick(random);
        while (to.equals(from)) {
            to = pick(random);
        }
        return new AccountRef[] {from, to};
    }

    static AccountChooser uniform(List<AccountRef> accounts) {
        return new Uniform(check(accounts));
    }

    /** Account {@code i} (0-based) is chosen with probability proportional to {@code 1 / (i + 1)^exponent}. */
    static AccountChooser zipf(List<AccountRef> accounts, double exponent) {
        check(accounts);
        if (!(exponent > 0)) {
            throw InvalidInputException.of("exponent", "must be positive, was " + exponent);
        }
        double[] cdf = new double[accounts.size()];
        double total = 0;
        for (int i = 0; i < cdf.length; i++) {
            total += 1.0 / Math.pow(i + 1, exponent);
            cdf[i] = total;
        }
        for (int i = 0; i < cdf.length; i++) {
            cdf[i] /= total;
        }
        return new Zipf(List.copyOf(accounts), cdf);
    }

    private static List<AccountRef> check(List<AccountRef> accounts) {
        InvalidInputException.requireNonNull(accounts, "accounts");
        if (accounts.size() < 2) {
            throw InvalidInputException.of("accounts", "need at least 2 to transfer between, got " + accounts.size());
        }
        return List.copyOf(accounts);
    }

    /** Every account equally likely. */
    record Uniform(List<AccountRef> accounts) implements AccountChooser {
        @Override
        public AccountRef pick(RandomGenerator random) {
            return accounts.get(random.nextInt(accounts.size()));
        }
    }

    /** The first accounts are hot. */
    record Zipf(List<AccountRef> accounts, double[] cdf) implements AccountChooser {
        @Override
        public AccountRef pick(RandomGenerator random) {
            int i = Arrays.binarySearch(cdf, random.nextDouble());
            int index = i >= 0 ? i : -i - 1;
            return accounts.get(Math.min(index, accounts.size() - 1));
        }
    }
}
