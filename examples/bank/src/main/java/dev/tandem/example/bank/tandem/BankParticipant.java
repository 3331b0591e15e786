package dev.tandem.example.bank.tandem;

import dev.tandem.eventstore.EventStore;
import dev.tandem.eventstore.Metadata;
import dev.tandem.example.bank.account.AccountCommand;
import dev.tandem.example.bank.account.AccountDecider;
import dev.tandem.example.bank.account.Decision;
import dev.tandem.saga.participant.BranchContext;
import dev.tandem.saga.participant.BranchResult;
import dev.tandem.saga.participant.Participant;
import java.util.function.Function;

/**
 * One bank as a saga participant: each branch applies {@link AccountDecider} to the payer's or payee's account
 * stream, and the account events go into the same commit as the barrier record (which is also the reply).
 * A business refusal is a failed branch that writes no account event.
 */
public final class BankParticipant {

    private BankParticipant() {}

    /** The participant of bank {@code bank} over its {@code store}. */
    public static Participant create(String bank, EventStore store) {
        return Participant.builder(TransferDefinitions.participant(bank), store)
                .on(TransferDefinitions.RESERVE, ctx -> payer(store, ctx, t -> new AccountCommand.Reserve(t.transfer(), t.money())))
                .on(TransferDefinitions.SETTLE, ctx -> payer(store, ctx, t -> new AccountCommand.Settle(t.transfer())))
                .on(TransferDefinitions.RELEASE, ctx -> payer(store, ctx, t -> new AccountCommand.Release(t.transfer())))
                .on(TransferDefinitions.REGISTER_CREDIT, ctx -> payee(store, ctx, t -> new AccountCommand.RegisterCredit(t.transfer(), t.money())))
                .on(TransferDefinitions.CONFIRM_CREDIT, ctx -> payee(store, ctx, t -> new AccountCommand.ConfirmCredit(t.transfer())))
                .on(TransferDefinitions.CANCEL_CREDIT, ctx -> payee(store, ctx, t -> new AccountCommand.CancelCredit(t.transfer())))
                .on(TransferDefinitions.DEBIT, ctx -> payer(store, ctx, t -> new AccountCommand.Debit(t.transfer(), t.money())))
                .on(TransferDefinitions.REFUND, ctx -> payer(store, ctx, t -> new AccountCommand.Refund(t.transfer())))
                .on(TransferDefinitions.CREDIT, ctx -> payee(store, ctx, t -> new AccountCommand.Credit(t.transfer(), t.money())))
                .on(TransferDefinitions.REVERSE_CREDIT, ctx -> payee(store, ctx, t -> new AccountCommand.ReverseCredit(t.transfer())))
                .afterCommit(commit -> AccountStreams.committed(store, commit))
                .afterFailedCommit(commit -> AccountStreams.abandoned(store, commit))
                .build();
    }

    private static BranchResult payer(EventStore store, BranchContext ctx, Function<TransferInput, AccountCommand> command) {
        TransferInput input = ctx.input(TransferInput.class);
        return apply(store, input.fromAccount(), command.apply(input), ctx.metadata());
    }

    private static BranchResult payee(EventStore store, BranchContext ctx, Function<TransferInput, AccountCommand> command) {
        TransferInput input = ctx.input(TransferInput.class);
        return apply(store, input.toAccount(), command.apply(input), ctx.metadata());
    }

    static BranchResult apply(EventStore store, String accountId, AccountCommand command, Metadata cause) {
        AccountStreams.Loaded loaded = AccountStreams.currentOrWait(store, accountId);
        return switch (AccountDecider.decide(loaded.account(), command)) {
            case Decision.Refused r -> BranchResult.failed(r.refusal().toString());
            case Decision.Accepted a -> a.events().isEmpty()
                    ? BranchResult.succeeded()
                    : BranchResult.succeeded(AccountStreams.write(store, accountId, loaded, a.events(), cause));
        };
    }
}
