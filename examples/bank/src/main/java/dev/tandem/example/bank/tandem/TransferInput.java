package dev.tandem.example.bank.tandem;

import dev.tandem.example.bank.account.Money;
import dev.tandem.example.bank.transfer.TransferRequest;
import java.util.UUID;

/** The input every branch of a transfer transaction receives (JSON). */
record TransferInput(UUID transfer, String fromAccount, String toAccount, long amount, String currency) {

    static TransferInput of(TransferRequest r) {
        return new TransferInput(r.transferId(), r.from().account(), r.to().account(), r.amount().minor(), r.amount().currency());
    }

    Money money() {
        return Money.of(amount, currency);
    }
}
