package dev.tandem.example.bank.account;

import dev.tandem.core.InvalidInputException;
import java.util.regex.Pattern;

/**
 * An exact amount of one currency, in minor units (cents) as a {@code long}.
 *
 * <p>Arithmetic never wraps: it refuses a result that does not fit in a {@code long} and refuses
 * to mix currencies, with {@link MoneyException}.
 *
 * @param minor the amount in minor units; may be negative only as an intermediate result
 * @param currency an ISO-4217-style code of three upper-case letters, e.g. {@code EUR}
 */
public record Money(long minor, String currency) {

    private static final Pattern CODE = Pattern.compile("[A-Z]{3}");

    public Money {
        requireCurrency(currency);
    }

    /** Checks that {@code currency} is three upper-case letters; returns it. */
    public static String requireCurrency(String currency) {
        InvalidInputException.requireNonNull(currency, "currency");
        if (!CODE.matcher(currency).matches()) {
            throw InvalidInputException.of("currency", "must be three upper-case letters such as EUR, was '" + currency + "'");
        }
        return currency;
    }

    public static Money of(long minor, String currency) {
        return new Money(minor, currency);
    }

    public static Money zero(String currency) {
        return new Money(0, currency);
    }

    public boolean isPositive() {
        return minor > 0;
    }

    public Money plus(Money other) {
        sameCurrency(other);
        try {
            return new Money(Math.addExact(minor, other.minor), currency);
        } catch (ArithmeticException e) {
            throw MoneyException.overflow(this, "+", other);
        }
    }

    public Money minus(Money other) {
        sameCurrency(other);
        try {
            return new Money(Math.subtractExact(minor, other.minor), currency);
        } catch (ArithmeticException e) {
            throw MoneyException.overflow(this, "-", other);
        }
    }

    public int compareAmount(Money other) {
        sameCurrency(other);
        return Long.compare(minor, other.minor);
    }

    private void sameCurrency(Money other) {
        if (!currency.equals(other.currency)) {
            throw MoneyException.currencyMismatch(this, other);
        }
    }

    @Override
    public String toString() {
        return minor + " " + currency;
    }
}
