package dev.tandem.example.bank.verify;

import dev.tandem.example.bank.transfer.AccountRef;
import java.util.List;
import java.util.Map;

/**
 * Everything recorded about one run, for the {@link BankChecker}.
 *
 * @param initial every account's balance before the run (no deposits happen during it)
 * @param transfers every transfer a client issued
 * @param reads balance reads taken while transfers ran
 * @param finals every account's balance at quiescence
 * @param effects every account's transfer effects, in history order
 */
public record RunHistory(Map<AccountRef, Long> initial, List<IssuedTransfer> transfers, List<BalanceRead> reads,
                         Map<AccountRef, Long> finals, Map<AccountRef, List<Effect>> effects) {

    public RunHistory {
        initial = Map.copyOf(initial);
        transfers = List.copyOf(transfers);
        reads = List.copyOf(reads);
        finals = Map.copyOf(finals);
        effects = Map.copyOf(effects);
    }
}
