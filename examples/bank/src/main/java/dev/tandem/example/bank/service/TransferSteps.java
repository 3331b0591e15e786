package dev.tandem.example.bank.service;

import dev.tandem.example.bank.account.AccountCommand;
import dev.tandem.example.bank.account.Refusal;
import dev.tandem.example.bank.transfer.AccountRef;
import dev.tandem.example.bank.transfer.TransferRequest;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The bank steps of one transfer, TCC or saga, up to the point its outcome is known everywhere.
 *
 * <p>TCC: reserve in the payer and announce in the payee at once; if both accept, settle and
 * confirm, otherwise release and cancel. Saga: debit, then credit; a refused credit is compensated
 * by a refund. Tries get a few attempts when a bank fails (then the transfer is cancelled);
 * confirms, cancels and refunds are retried until the bank accepts them, since the outcome is
 * already decided by then.
 */
final class TransferSteps {

    /** How the steps ended: committed, or compensated for {@code reason}. */
    record Outcome(boolean committed, String reason) {}

    static final int TRY_ATTEMPTS = 5;
    static final long MAX_BACKOFF_MILLIS = 500;

    private final Participants participants;
    private final ScheduledExecutorService timer;

    TransferSteps(Participants participants, ScheduledExecutorService timer) {
        this.participants = participants;
        this.timer = timer;
    }

    CompletableFuture<Outcome> run(UUID id, TransferRequest r) {
        return switch (r.mode()) {
            case TCC -> tcc(id, r);
            case SAGA -> saga(id, r);
        };
    }

    private CompletableFuture<Outcome> tcc(UUID id, TransferRequest r) {
        CompletableFuture<Reply> reserve = attempt(r.from(), new AccountCommand.Reserve(id, r.amount()));
        CompletableFuture<Reply> announce = attempt(r.to(), new AccountCommand.RegisterCredit(id, r.amount()));
        return reserve.thenCombine(announce, (a, b) -> a.accepted() && b.accepted() ? null : reason(a, b))
                .thenCompose(reason -> reason == null
                        ? both(r.from(), new AccountCommand.Settle(id), r.to(), new AccountCommand.ConfirmCredit(id))
                                .thenApply(x -> new Outcome(true, null))
                        : both(r.from(), new AccountCommand.Release(id), r.to(), new AccountCommand.CancelCredit(id))
                                .thenApply(x -> new Outcome(false, reason)));
    }

    private CompletableFuture<Outcome> saga(UUID id, TransferRequest r) {
        return attempt(r.from(), new AccountCommand.Debit(id, r.amount())).thenCompose(debit -> {
            if (!debit.accepted()) {
                return refund(id, r, reason(debit, null));
            }
            return attempt(r.to(), new AccountCommand.Credit(id, r.amount())).thenCompose(credit -> credit.accepted()
                    ? CompletableFuture.completedFuture(new Outcome(true, null))
                    : refund(id, r, reason(credit, null)));
        });
    }

    /** Compensates the debit; also records the barrier when the debit never happened, so a late one is refused. */
    private CompletableFuture<Outcome> refund(UUID id, TransferRequest r, String reason) {
        return untilAccepted(r.from(), new AccountCommand.Refund(id), 0).thenApply(x -> new Outcome(false, reason));
    }

    private CompletableFuture<Void> both(AccountRef a, AccountCommand ca, AccountRef b, AccountCommand cb) {
        return CompletableFuture.allOf(untilAccepted(a, ca, 0), untilAccepted(b, cb, 0));
    }

    /** A try: a few attempts on failure, then a refusal that cancels the transfer. */
    private CompletableFuture<Reply> attempt(AccountRef account, AccountCommand command) {
        return retry(() -> participants.send(account, command), 0, TRY_ATTEMPTS, account);
    }

    private CompletableFuture<Reply> retry(Supplier<CompletableFuture<Reply>> op, int attempt, int max, AccountRef account) {
        CompletableFuture<Reply> call;
        try {
            call = op.get();
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        return call.handle((reply, failure) -> {
            if (failure == null) {
                return CompletableFuture.completedFuture(reply);
            }
            if (attempt + 1 >= max) {
                return CompletableFuture.completedFuture((Reply) new Reply.Refused(Refusal.of(Refusal.Reason.BANK_UNAVAILABLE,
                        "bank " + account.bank() + " failed " + max + " times, last: " + TransferCoordinator.unwrap(failure))));
            }
            return later(attempt).thenCompose(x -> retry(op, attempt + 1, max, account));
        }).thenCompose(f -> f);
    }

    /** A confirm, cancel or refund: the outcome is decided, so it is retried until the bank accepts it. */
    private CompletableFuture<Reply> untilAccepted(AccountRef account, AccountCommand command, int attempt) {
        return retry(() -> participants.send(account, command), 0, 1, account).thenCompose(reply -> {
            if (reply.accepted()) {
                return CompletableFuture.completedFuture(reply);
            }
            if (reply instanceof Reply.Refused refused && refused.refusal().reason() != Refusal.Reason.BANK_UNAVAILABLE) {
                return CompletableFuture.failedFuture(new IllegalStateException("STUCK: " + account + " refused " + command + ": "
                        + refused.refusal()));
            }
            return later(attempt).thenCompose(x -> untilAccepted(account, command, attempt + 1));
        });
    }

    private CompletableFuture<Void> later(int attempt) {
        long base = Math.min(MAX_BACKOFF_MILLIS, 1L << Math.min(attempt, 9));
        long delay = base / 2 + (long) (Math.random() * base / 2 + 1);
        CompletableFuture<Void> f = new CompletableFuture<>();
        timer.schedule(() -> f.complete(null), delay, TimeUnit.MILLISECONDS);
        return f;
    }

    private static String reason(Reply a, Reply b) {
        if (a instanceof Reply.Refused ra) {
            return ra.refusal().toString();
        }
        return b instanceof Reply.Refused rb ? rb.refusal().toString() : "refused";
    }
}
