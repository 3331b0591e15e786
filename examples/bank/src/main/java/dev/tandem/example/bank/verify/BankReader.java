package dev.tandem.example.bank.verify;

import dev.tandem.example.bank.transfer.AccountRef;
import java.util.List;
import java.util.Map;

/** Reads what the checker needs from the banks: balances and each account's transfer effects. */
public interface BankReader {

    /** The durable balance of each account, read one after another. */
    Map<AccountRef, Long> balances(List<AccountRef> accounts) throws Exception;

    /** Each account's transfer effects, in the order its history records them. */
    Map<AccountRef, List<Effect>> effects(List<AccountRef> accounts) throws Exception;
}
