package dev.tandem.example.bank.tandem;

import dev.tandem.example.bank.account.Money;
import dev.tandem.example.bank.transfer.AccountRef;
import dev.tandem.example.bank.transfer.TransferMode;
import dev.tandem.example.bank.transfer.TransferRequest;
import java.util.UUID;

/** The input every branch of a transfer transaction receives (JSON); it names the whole request, so a query can show it. */
record TransferInput(UUID transfer, String fromBank, String fromAccount, String toBank, String toAccount, long amount, String currency,
        TransferMode mode) {

    static TransferInput of(TransferRequest r) {
        return new TransferInput(r.transferId(), r.from().bank(), r.from().account(), r.to().bank(), r.to().account(), r.amount().minor(),
                r.amount().currency(), r.mode());
    }

    Money money() {
        return Money.of(amount, currency);
    }

    AccountRef from() {
        return new AccountRef(fromBank, fromAccount);
    }

    AccountRef to() {
        return new AccountRef(toBank, toAccount);
    }
}
