package dev.tandem.simulator.bank;

import dev.tandem.eventstore.EventStore;
import dev.tandem.eventstore.Metadata;
import dev.tandem.saga.participant.BranchResult;
import dev.tandem.saga.participant.Participant;
import dev.tandem.saga.protocol.BranchCommand;
import java.util.List;

/** The branch operations of one bank, written against the saga participant API: read the account, decide, return the entry. */
public final class BankParticipant {

    public static final List<String> BANK_A_OPERATIONS = List.of("debit", "refund", "reserve", "settle", "release");
    public static final List<String> BANK_B_OPERATIONS = List.of("credit", "reverse", "pend", "apply", "drop");

    private BankParticipant() {}

    /** The participant {@code name} over {@code store}, serving {@code operations}, behind the real barrier. */
    public static Participant create(String name, EventStore store, List<String> operations) {
        Participant.Builder b = Participant.builder(name, store);
        operations.forEach(op -> b.on(op, ctx -> run(ctx.command(), store, ctx.metadata())));
        return b.build();
    }

    /** @param cause the metadata the entry carries: the branch's (its transaction, trace and causing command), or none */
    static BranchResult run(BranchCommand command, EventStore store, Metadata cause) {
        Transfer transfer = Transfer.fromJson(command.input());
        String account = BankOperations.account(command.operation(), transfer);
        Account before = Ledger.load(store, account);
        BankOperations.Effect effect = BankOperations.decide(command.operation(), transfer, before);
        if (effect.kind() == null) {
            return BranchResult.failed(effect.refusal());
        }
        return BranchResult.succeeded(Ledger.write(account, before, command.transactionId(), effect.kind(), transfer.amount(), cause));
    }
}
