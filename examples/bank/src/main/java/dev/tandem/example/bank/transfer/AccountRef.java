package dev.tandem.example.bank.transfer;

import dev.tandem.core.InvalidInputException;
import java.util.regex.Pattern;

/**
 * An account at a bank, written {@code BANK/account}, e.g. {@code A/alice}.
 *
 * @param bank the bank service's name, letters and digits
 * @param account the account id within it, letters, digits, {@code -} and {@code _}
 */
public record AccountRef(String bank, String account) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    public AccountRef {
        requireName(bank, "bank");
        requireName(account, "account");
    }

    /** Parses {@code BANK/account}. */
    public static AccountRef parse(String text, String field) {
        InvalidInputException.requireText(text, field, 129);
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw InvalidInputException.of(field, "must read BANK/account, e.g. A/alice, was '" + text + "'");
        }
        return new AccountRef(text.substring(0, slash), text.substring(slash + 1));
    }

    /** Checks an account or bank name; returns it. */
    public static String requireName(String name, String field) {
        InvalidInputException.requireNonNull(name, field);
        if (!NAME.matcher(name).matches()) {
            throw InvalidInputException.of(field, "must be 1-64 letters, digits, '-' or '_', was '" + name + "'");
        }
        return name;
    }

    @Override
    public String toString() {
        return bank + "/" + account;
    }
}
