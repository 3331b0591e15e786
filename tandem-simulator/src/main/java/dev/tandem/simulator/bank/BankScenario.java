package dev.tandem.simulator.bank;

import dev.tandem.core.InvalidInputException;
import dev.tandem.eventstore.EventStore;
import dev.tandem.messaging.MessageHandler;
import dev.tandem.saga.definition.DefinitionRegistry;
import dev.tandem.saga.definition.TransactionDefinition;
import dev.tandem.simulator.ParticipantFactory;
import dev.tandem.simulator.PlannedTransaction;
import dev.tandem.simulator.Scenario;
import dev.tandem.simulator.SimulationOutcome;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * Transfers from accounts at bank A to accounts at bank B, some as a saga (debit A, credit B; refund and
 * reverse as compensations), some as TCC (reserve at A and register a pending credit at B; settle and apply to
 * confirm; release and drop to cancel). Some transfers are bound to fail for insufficient funds.
 *
 * <p>Invariants ({@link BankInvariants}): money is conserved, no balance goes negative, each transfer has each
 * effect at most once, no compensation without its action, and every transfer's net effect matches its outcome.
 */
public final class BankScenario implements Scenario {

    public static final String BANK_A = "bank-a";
    public static final String BANK_B = "bank-b";
    public static final String SAGA = "transfer-saga";
    public static final String TCC = "transfer-tcc";
    /** A saga whose credit has no compensation: the pivot, driven forward until a definite answer. */
    public static final String PIVOT_SAGA = "transfer-saga-pivot";

    /** Deliberate participant bugs, to show the checks catch them. */
    public enum Bug {
        NONE,
        /** Bank A has no inbox and no barrier: a redelivered debit is applied again. */
        DUPLICATE_DEBIT,
        /** Bank A keeps its inbox but has no barrier: a compensation that overtakes its action is applied, then the action. */
        NO_BARRIER
    }

    static final Map<String, Long> OPENING_A = new TreeMap<>(Map.of("a1", 100L, "a2", 100L));
    static final Map<String, Long> OPENING_B = new TreeMap<>(Map.of("b1", 50L, "b2", 50L));

    private final int minTransfers;
    private final int maxTransfers;
    private final Bug bug;
    private final DefinitionRegistry definitions;

    /** @param minTransfers fewest transfers per run; @param maxTransfers most */
    public BankScenario(int minTransfers, int maxTransfers, Bug bug) {
        if (minTransfers < 1 || maxTransfers < minTransfers) {
            throw InvalidInputException.of("transfers", "need 1 <= min <= max, got " + minTransfers + ".." + maxTransfers);
        }
        this.minTransfers = minTransfers;
        this.maxTransfers = maxTransfers;
        this.bug = InvalidInputException.requireNonNull(bug, "bug");
        this.definitions = DefinitionRegistry.of(saga(), pivotSaga(), tcc());
    }

    /** Two to five transfers per run, no bug. */
    public BankScenario() {
        this(2, 5, Bug.NONE);
    }

    static TransactionDefinition saga() {
        return TransactionDefinition.saga(SAGA, 1)
                .step("debit", s -> s.participant(BANK_A).action("debit").compensation("refund").timeout(Duration.ofSeconds(1)))
                .step("credit", s -> s.participant(BANK_B).action("credit").compensation("reverse").timeout(Duration.ofSeconds(1)))
                .deadline(Duration.ofSeconds(10))
                .build();
    }

    static TransactionDefinition pivotSaga() {
        return TransactionDefinition.saga(PIVOT_SAGA, 1)
                .step("debit", s -> s.participant(BANK_A).action("debit").compensation("refund").timeout(Duration.ofSeconds(1)))
                .step("credit", s -> s.participant(BANK_B).action("credit").timeout(Duration.ofSeconds(1)))
                .deadline(Duration.ofSeconds(10))
                .build();
    }

    static TransactionDefinition tcc() {
        return TransactionDefinition.tcc(TCC, 1)
                .participant("source", p -> p.participant(BANK_A).tryOp("reserve").confirm("settle").cancel("release").timeout(Duration.ofSeconds(1)))
                .participant("target", p -> p.participant(BANK_B).tryOp("pend").confirm("apply").cancel("drop").timeout(Duration.ofSeconds(1)))
                .deadline(Duration.ofSeconds(10))
                .build();
    }

    @Override
    public DefinitionRegistry definitions() {
        return definitions;
    }

    @Override
    public Map<String, ParticipantFactory> participants() {
        Map<String, ParticipantFactory> out = new LinkedHashMap<>();
        out.put(BANK_A, bankA());
        out.put(BANK_B, (store, clock) -> {
            OPENING_B.forEach((account, balance) -> Ledger.open(store, account, balance));
            return BankParticipant.create(BANK_B, store, BankParticipant.BANK_B_OPERATIONS);
        });
        return out;
    }

    private ParticipantFactory bankA() {
        return new ParticipantFactory() {
            @Override
            public MessageHandler create(EventStore store, InstantSource clock) {
                OPENING_A.forEach((account, balance) -> Ledger.open(store, account, balance));
                return bug == Bug.NONE
                        ? BankParticipant.create(BANK_A, store, BankParticipant.BANK_A_OPERATIONS)
                        : new UnguardedHandler(store);
            }

            @Override
            public boolean idempotentInbox() {
                return bug != Bug.DUPLICATE_DEBIT;
            }
        };
    }

    @Override
    public List<PlannedTransaction> plan(RandomGenerator random) {
        int count = minTransfers + random.nextInt(maxTransfers - minTransfers + 1);
        List<PlannedTransaction> out = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            Transfer t = new Transfer("a" + (1 + random.nextInt(OPENING_A.size())), "b" + (1 + random.nextInt(OPENING_B.size())),
                    1 + random.nextInt(120));
            String definition = switch (random.nextInt(3)) {
                case 0 -> SAGA;
                case 1 -> PIVOT_SAGA;
                default -> TCC;
            };
            out.add(new PlannedTransaction("t" + i, definition, t.toJson(), Duration.ofMillis(random.nextInt(2000))));
        }
        return out;
    }

    @Override
    public void verify(SimulationOutcome outcome) {
        new BankInvariants(outcome).check();
    }
}
