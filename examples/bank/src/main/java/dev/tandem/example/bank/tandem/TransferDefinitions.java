package dev.tandem.example.bank.tandem;

import dev.tandem.example.bank.transfer.TransferMode;
import dev.tandem.saga.definition.DefinitionRegistry;
import dev.tandem.saga.definition.RetryPolicy;
import dev.tandem.saga.definition.TransactionDefinition;
import java.time.Duration;
import java.util.List;

/**
 * The transfer definitions, one per mode and (payer bank, payee bank) pair, since a step names its participant.
 *
 * <p>TCC: try = reserve in the payer + register the pending credit in the payee; confirm = settle both;
 * cancel = release both. Saga: debit the payer, then credit the payee; the debit's compensation is a refund, the
 * credit's a reversal. The credit needs one too: when its reply does not come in time the coordinator compensates,
 * and a credit that landed late would otherwise stay while the debit is refunded (money created). The reversal
 * takes it back, or, arriving first, makes the participant barrier refuse the late credit.
 */
public final class TransferDefinitions {

    static final String RESERVE = "reserve";
    static final String SETTLE = "settle";
    static final String RELEASE = "release";
    static final String REGISTER_CREDIT = "register-credit";
    static final String CONFIRM_CREDIT = "confirm-credit";
    static final String CANCEL_CREDIT = "cancel-credit";
    static final String DEBIT = "debit";
    static final String REFUND = "refund";
    static final String CREDIT = "credit";
    static final String REVERSE_CREDIT = "reverse-credit";

    static final Duration STEP_TIMEOUT = Duration.ofSeconds(5);
    static final RetryPolicy TRY_RETRY = RetryPolicy.fixed(3, Duration.ofMillis(200));
    static final RetryPolicy UNDO_RETRY = RetryPolicy.fixed(20, Duration.ofMillis(500));
    /**
     * The saga credit is retried until the deadline rather than given up after a few timeouts: once the payee may
     * have spent a credit that landed late, its reversal can only wait (STUCK), so compensating it should be rare.
     */
    static final RetryPolicy CREDIT_RETRY = RetryPolicy.fixed(12, Duration.ofSeconds(1));

    private TransferDefinitions() {}

    /** The participant (destination) name of bank {@code bank}. */
    public static String participant(String bank) {
        return "bank-" + bank;
    }

    /** The definition name of a transfer in {@code mode} from bank {@code from} to bank {@code to}. */
    public static String name(TransferMode mode, String from, String to) {
        return "transfer-" + mode.name().toLowerCase(java.util.Locale.ROOT) + "-" + from + "-" + to;
    }

    /** Every definition for transfers among {@code banks}. */
    public static DefinitionRegistry registry(List<String> banks) {
        DefinitionRegistry registry = DefinitionRegistry.of();
        for (String from : banks) {
            for (String to : banks) {
                registry.register(tcc(from, to));
                registry.register(saga(from, to));
            }
        }
        return registry;
    }

    static TransactionDefinition tcc(String from, String to) {
        return TransactionDefinition.tcc(name(TransferMode.TCC, from, to), 1)
                .participant("payer", p -> p.participant(participant(from)).tryOp(RESERVE).confirm(SETTLE).cancel(RELEASE)
                        .timeout(STEP_TIMEOUT).retry(TRY_RETRY).compensationRetry(UNDO_RETRY))
                .participant("payee", p -> p.participant(participant(to)).tryOp(REGISTER_CREDIT).confirm(CONFIRM_CREDIT).cancel(CANCEL_CREDIT)
                        .timeout(STEP_TIMEOUT).retry(TRY_RETRY).compensationRetry(UNDO_RETRY))
                .deadline(Duration.ofSeconds(60))
                .build();
    }

    static TransactionDefinition saga(String from, String to) {
        return TransactionDefinition.saga(name(TransferMode.SAGA, from, to), 1)
                .step("debit", s -> s.participant(participant(from)).action(DEBIT).compensation(REFUND)
                        .timeout(STEP_TIMEOUT).retry(TRY_RETRY).compensationRetry(UNDO_RETRY))
                .step("credit", s -> s.participant(participant(to)).action(CREDIT).compensation(REVERSE_CREDIT)
                        .timeout(STEP_TIMEOUT).retry(CREDIT_RETRY).compensationRetry(UNDO_RETRY))
                .deadline(Duration.ofSeconds(60))
                .build();
    }
}
