package dev.tandem.saga.coordinator;

import dev.tandem.core.InvalidInputException;
import dev.tandem.messaging.TraceContext;
import dev.tandem.saga.coordinator.TransactionCommand.FireDueTimers;
import dev.tandem.saga.coordinator.TransactionCommand.OperatorResolve;
import dev.tandem.saga.coordinator.TransactionCommand.OperatorRetry;
import dev.tandem.saga.coordinator.TransactionCommand.ReceiveReply;
import dev.tandem.saga.coordinator.TransactionCommand.Start;
import dev.tandem.saga.coordinator.TransactionEvent.Committed;
import dev.tandem.saga.coordinator.TransactionEvent.Compensated;
import dev.tandem.saga.coordinator.TransactionEvent.CompensationStarted;
import dev.tandem.saga.coordinator.TransactionEvent.ConfirmationStarted;
import dev.tandem.saga.coordinator.TransactionEvent.DeadlineFired;
import dev.tandem.saga.coordinator.TransactionEvent.OperatorResolved;
import dev.tandem.saga.coordinator.TransactionEvent.OperatorRetried;
import dev.tandem.saga.coordinator.TransactionEvent.RetriesExhausted;
import dev.tandem.saga.coordinator.TransactionEvent.RetryScheduled;
import dev.tandem.saga.coordinator.TransactionEvent.Started;
import dev.tandem.saga.coordinator.TransactionEvent.StepCompensated;
import dev.tandem.saga.coordinator.TransactionEvent.StepConfirmed;
import dev.tandem.saga.coordinator.TransactionEvent.StepFailed;
import dev.tandem.saga.coordinator.TransactionEvent.StepRequested;
import dev.tandem.saga.coordinator.TransactionEvent.StepSucceeded;
import dev.tandem.saga.coordinator.TransactionEvent.StepTimedOut;
import dev.tandem.saga.coordinator.TransactionEvent.Stuck;
import dev.tandem.saga.definition.DefinitionRegistry;
import dev.tandem.saga.definition.Phase;
import dev.tandem.saga.definition.RetryPolicy;
import dev.tandem.saga.definition.StepDefinition;
import dev.tandem.saga.definition.TransactionDefinition;
import dev.tandem.saga.definition.TransactionKind;
import dev.tandem.saga.protocol.ReplyOutcome;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * The pure coordinator of sagas and TCC transactions: {@code decide(state, command) -> events} and
 * {@code evolve(state, event) -> state}.
 *
 * <p>How to drive it (what a driver or the simulator does): keep each transaction's events; to handle
 * an input, fold the events with {@link #evolve} (or {@link #replay}), call {@link #decide} with the
 * state and a {@link TransactionCommand} carrying the current time and a random seed, append the
 * returned events (an empty list means "nothing to do", e.g. a duplicate reply or an idempotent
 * start), and send one {@link dev.tandem.saga.protocol.BranchCommand} per
 * {@link TransactionEvent.StepRequested} (message id {@link TransactionEvent.StepRequested#commandId()},
 * stable for a given attempt). Feed participant replies as {@link TransactionCommand.ReceiveReply}.
 * For time, ask {@link Transaction#nextDueAt()} and send {@link TransactionCommand.FireDueTimers}
 * at or after that instant; firing late or early is harmless (nothing due means no events).
 *
 * <p>Rules: a business failure, a timeout, retries exhausted on an action, or the deadline, abort the
 * forward phase — except on a saga's pivot (its step without compensation), which once requested is
 * re-sent until a definite answer and otherwise ends {@link Status#STUCK}; then every step whose action may have taken effect (requested and not failed) is
 * compensated, stage by stage in reverse order (the participant barrier turns a compensation that
 * overtakes its action into a recorded null compensation and refuses the late action). Transient
 * failures are retried with the step's capped, jittered backoff. A compensation, confirm or cancel
 * that exhausts its policy makes the transaction {@link Status#STUCK} until an operator retries or
 * resolves it. Invalid commands throw {@link TransactionRejectedException} or
 * {@link InvalidInputException}; the decider never throws for duplicate or stale replies and timers.
 */
public final class TransactionDecider {

    /** Bounds a transaction id so that derived stream ids stay within limits. */
    public static final int MAX_TRANSACTION_ID = 100;

    private final DefinitionRegistry registry;
    private final TransactionEvolution evolution;

    public TransactionDecider(DefinitionRegistry registry) {
        this.registry = InvalidInputException.requireNonNull(registry, "registry");
        this.evolution = new TransactionEvolution(registry);
    }

    public DefinitionRegistry registry() {
        return registry;
    }

    /** The state before any event. */
    public static TransactionState initial() {
        return TransactionState.NOT_STARTED;
    }

    public TransactionState evolve(TransactionState state, TransactionEvent event) {
        return evolution.evolve(state, event);
    }

    /** Folds {@code events} onto {@code state}. */
    public TransactionState evolve(TransactionState state, List<? extends TransactionEvent> events) {
        TransactionState s = state;
        for (TransactionEvent e : events) {
            s = evolution.evolve(s, e);
        }
        return s;
    }

    /** The state after {@code events}, from the beginning. */
    public TransactionState replay(List<? extends TransactionEvent> events) {
        return evolve(initial(), events);
    }

    /** The events {@code command} causes in {@code state}, including every follow-up decision (next step, commit…). */
    public List<TransactionEvent> decide(TransactionState state, TransactionCommand command) {
        InvalidInputException.requireNonNull(state, "state");
        InvalidInputException.requireNonNull(command, "command");
        InvalidInputException.requireNonNull(command.now(), "command.now");
        List<TransactionEvent> out = new ArrayList<>(react(state, command));
        if (out.isEmpty()) {
            return out;
        }
        TransactionState s = evolve(state, out);
        for (int round = 0; round < 10_000; round++) {
            List<TransactionEvent> more = Progress.next((Transaction) s, command.now());
            if (more.isEmpty()) {
                return out;
            }
            out.addAll(more);
            s = evolve(s, more);
        }
        throw new IllegalStateException("decider did not settle for " + command);
    }

    /**
     * The id of the command message for one attempt of one phase of one step: stable, so a re-decided request (after a
     * conflict or a crash) is the same message and de-duplicates. A UUID of version 8 (RFC 9562, custom): the first 48
     * bits are the transaction's start in milliseconds since the epoch, as in version 7, and the other 74 free bits come
     * from an MD5 hash of the transaction, step, phase and attempt. Ids of transactions started close together are
     * close together, so the stores that index them (the sender's event ids, the receiver's inbox) insert near the end
     * of their indexes instead of on a random page each, as a hash alone would.
     */
    public static UUID commandId(String transactionId, Instant startedAt, int step, Phase phase, int attempt) {
        String key = "tandem.saga/" + transactionId + "/" + step + "/" + phase + "/" + attempt;
        UUID hash = UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8));
        long millis = startedAt.toEpochMilli() & 0xFFFF_FFFF_FFFFL;
        long high = (millis << 16) | 0x8000L | (hash.getMostSignificantBits() & 0x0FFFL);
        long low = (hash.getLeastSignificantBits() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(high, low);
    }

    private List<TransactionEvent> react(TransactionState state, TransactionCommand command) {
        return switch (command) {
            case Start s -> start(state, s);
            case ReceiveReply r -> state instanceof Transaction t && !t.status().isFinal() ? reply(t, r) : List.of();
            case FireDueTimers f -> state instanceof Transaction t && !t.status().isSettled() ? timers(t, f) : List.of();
            case OperatorRetry o -> List.of(new OperatorRetried(operator(o.operator()), reason(o.reason()), o.now()));
            case OperatorResolve o -> {
                if (o.resolution() != Status.COMMITTED && o.resolution() != Status.COMPENSATED) {
                    throw InvalidInputException.of("resolution", "must be COMMITTED or COMPENSATED, was " + o.resolution());
                }
                yield List.of(new OperatorResolved(operator(o.operator()), o.resolution(), reason(o.reason()), o.now()));
            }
        };
    }

    /** Validates an operator command against {@code state}; call before {@link #decide} to get a typed rejection. */
    public static void checkOperatorCommand(String transactionId, TransactionState state) {
        if (!(state instanceof Transaction t)) {
            throw TransactionRejectedException.notFound(transactionId);
        }
        if (t.status() != Status.STUCK) {
            throw TransactionRejectedException.notStuck(transactionId, t.status());
        }
    }

    private List<TransactionEvent> start(TransactionState state, Start s) {
        InvalidInputException.requireText(s.transactionId(), "transactionId", MAX_TRANSACTION_ID);
        InvalidInputException.requireText(s.definition(), "definition", TransactionDefinition.MAX_NAME);
        InvalidInputException.requireNonNull(s.input(), "input");
        return switch (state) {
            case TransactionState.NotStarted n -> {
                TransactionDefinition def = registry.latest(s.definition());
                yield List.of(new Started(s.transactionId(), def.name(), def.version(), s.input(), s.now().plus(def.deadline()), s.now(),
                        s.trace().equals(TraceContext.NONE) ? null : s.trace()));
            }
            case Transaction t -> {
                if (!t.definition().name().equals(s.definition()) || !t.input().equals(s.input())) {
                    throw TransactionRejectedException.conflictingStart(s.transactionId(),
                            t.definition().id() + " with input " + abbreviate(t.input()),
                            s.definition() + " with input " + abbreviate(s.input()));
                }
                yield List.of();
            }
        };
    }

    private static List<TransactionEvent> reply(Transaction t, ReceiveReply r) {
        if (r.step() < 0 || r.step() >= t.steps().size() || r.phase() == null || r.outcome() == null) {
            return List.of();
        }
        Leg leg = t.step(r.step()).leg(r.phase());
        boolean awaited = leg.status() == LegStatus.IN_FLIGHT
                // a success that overtakes the re-send a timeout scheduled is as definite as the re-send's answer
                || leg.status() == LegStatus.RETRY_WAIT && r.outcome() == ReplyOutcome.SUCCEEDED;
        if (!awaited || leg.attempt() != r.attempt()) {
            return List.of(); // duplicate, stale or late: the leg already moved on
        }
        return switch (r.outcome()) {
            case SUCCEEDED -> List.of(switch (r.phase()) {
                case ACTION -> new StepSucceeded(r.step(), r.attempt(), r.now());
                case COMPENSATION -> new StepCompensated(r.step(), r.attempt(), r.now());
                case CONFIRM -> new StepConfirmed(r.step(), r.attempt(), r.now());
            });
            case FAILED, REFUSED -> r.phase() == Phase.ACTION
                    ? List.of(new StepFailed(r.step(), r.attempt(), why(r), r.now()))
                    : List.of(retryOrExhaust(t, r.step(), r.phase(), leg, why(r), r.now(), new SplittableRandom(r.random())));
            case RETRYABLE -> r.phase() == Phase.ACTION && t.status() != Status.RUNNING
                    ? List.of(new RetriesExhausted(r.step(), r.phase(), r.attempt(), "not retried after abort: " + why(r), r.now()))
                    : List.of(retryOrExhaust(t, r.step(), r.phase(), leg, why(r), r.now(), new SplittableRandom(r.random())));
        };
    }

    /** A failed reply's reason, or its outcome's name: only a failure needs one. */
    private static String why(ReceiveReply r) {
        return r.reason() == null ? r.outcome().name().toLowerCase(java.util.Locale.ROOT) : r.reason();
    }

    private static List<TransactionEvent> timers(Transaction t, FireDueTimers f) {
        Instant now = f.now();
        if (t.status() == Status.RUNNING && !t.deadlineFired() && !now.isBefore(t.deadline())) {
            return List.of(new DeadlineFired(now));
        }
        Phase phase = t.drivenPhase();
        SplittableRandom random = new SplittableRandom(f.random());
        List<TransactionEvent> out = new ArrayList<>();
        for (StepState s : t.steps()) {
            Leg leg = s.leg(phase);
            if (leg.dueAt() == null || now.isBefore(leg.dueAt())) {
                continue;
            }
            StepDefinition def = t.stepDefinition(s.index());
            if (leg.status() == LegStatus.IN_FLIGHT) {
                out.add(phase == Phase.ACTION && !isPivot(t, s)
                        ? new StepTimedOut(s.index(), leg.attempt(), now)
                        : retryOrExhaust(t, s.index(), phase, leg, "timed out at attempt " + leg.attempt(), now, random));
            } else if (leg.status() == LegStatus.RETRY_WAIT) {
                out.add(request(t, s.index(), phase, leg.attempt() + 1, def, now));
            }
        }
        return out;
    }

    private static TransactionEvent retryOrExhaust(Transaction t, int step, Phase phase, Leg leg, String reason, Instant now,
            SplittableRandom random) {
        StepDefinition def = t.stepDefinition(step);
        RetryPolicy policy = phase == Phase.ACTION && !isPivot(t, t.step(step)) ? def.retry() : def.compensationRetry();
        if (leg.attemptsUsed() < policy.maxAttempts()) {
            Instant due = now.plus(policy.backoff(leg.attemptsUsed(), random.nextDouble()));
            return new RetryScheduled(step, phase, leg.attempt(), reason, due, now);
        }
        return new RetriesExhausted(step, phase, leg.attempt(), reason, now);
    }

    /**
     * A saga step without a compensation: once requested it is driven forward until a definite answer,
     * since an effect it may have had could not be undone (see {@link TransactionDefinition}).
     */
    static boolean isPivot(Transaction t, StepState s) {
        return t.definition().kind() == TransactionKind.SAGA && t.stepDefinition(s.index()).compensation() == null;
    }

    static StepRequested request(Transaction t, int step, Phase phase, int attempt, StepDefinition def, Instant now) {
        return new StepRequested(step, phase, attempt, commandId(t.id(), t.startedAt(), step, phase, attempt), now.plus(def.timeout()), now);
    }

    private static String operator(String operator) {
        return InvalidInputException.requireText(operator, "operator", 200);
    }

    private static String reason(String reason) {
        return InvalidInputException.requireText(reason, "reason", 2000);
    }

    private static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 117) + "...";
    }

    /** The follow-up decisions a state implies by itself: next stage, abort, compensate, confirm, commit, stuck. */
    private static final class Progress {

        static List<TransactionEvent> next(Transaction t, Instant now) {
            return switch (t.status()) {
                case RUNNING -> running(t, now);
                case CONFIRMING -> confirming(t, now);
                case COMPENSATING -> compensating(t, now);
                case COMMITTED, COMPENSATED, STUCK -> List.of();
            };
        }

        private static List<TransactionEvent> running(Transaction t, Instant now) {
            boolean pivotEngaged = false;
            for (StepState s : t.steps()) {
                LegStatus a = s.action().status();
                String name = t.stepDefinition(s.index()).name();
                if (a == LegStatus.EXHAUSTED && isPivot(t, s)) {
                    return List.of(new Stuck(s.index(), Phase.ACTION, "pivot step " + name + " without compensation "
                            + describe(s.action()) + "; its effect is unknown", now));
                }
                if (a == LegStatus.FAILED || a == LegStatus.TIMED_OUT || a == LegStatus.EXHAUSTED) {
                    return List.of(new CompensationStarted("step " + name + " " + describe(s.action()), now));
                }
                pivotEngaged |= isPivot(t, s) && s.actionMayHaveEffect();
            }
            if (t.deadlineFired() && !pivotEngaged) {
                return List.of(new CompensationStarted("deadline " + t.deadline() + " passed", now));
            }
            int stage = -1;
            for (StepState s : t.steps()) {
                if (s.action().status() != LegStatus.SUCCEEDED) {
                    stage = s.stage();
                    break;
                }
            }
            if (stage < 0) {
                return List.of(t.definition().kind() == TransactionKind.TCC ? new ConfirmationStarted(now) : new Committed(now));
            }
            return requestIdle(t, Phase.ACTION, stage, now);
        }

        private static List<TransactionEvent> confirming(Transaction t, Instant now) {
            List<TransactionEvent> stuck = stuckIfExhausted(t, Phase.CONFIRM, now);
            if (!stuck.isEmpty()) {
                return stuck;
            }
            boolean all = t.steps().stream().allMatch(s -> s.confirm().status() == LegStatus.SUCCEEDED);
            return all ? List.of(new Committed(now)) : requestIdle(t, Phase.CONFIRM, 0, now);
        }

        private static List<TransactionEvent> compensating(Transaction t, Instant now) {
            List<TransactionEvent> stuck = stuckIfExhausted(t, Phase.COMPENSATION, now);
            if (!stuck.isEmpty()) {
                return stuck;
            }
            int frontier = -1;
            for (StepState s : t.steps()) {
                if (needsCompensation(t, s) && s.compensation().status() != LegStatus.SUCCEEDED) {
                    frontier = Math.max(frontier, s.stage());
                }
            }
            return frontier < 0 ? List.of(new Compensated(now)) : requestIdle(t, Phase.COMPENSATION, frontier, now);
        }

        /** A step is undone when its action may have taken effect and it has a compensation at all. */
        static boolean needsCompensation(Transaction t, StepState s) {
            return s.actionMayHaveEffect() && t.stepDefinition(s.index()).compensation() != null;
        }

        private static List<TransactionEvent> stuckIfExhausted(Transaction t, Phase phase, Instant now) {
            for (StepState s : t.steps()) {
                if (s.leg(phase).status() == LegStatus.EXHAUSTED) {
                    String name = t.stepDefinition(s.index()).name();
                    return List.of(new Stuck(s.index(), phase, phase + " of step " + name + " " + describe(s.leg(phase)), now));
                }
            }
            return List.of();
        }

        private static List<TransactionEvent> requestIdle(Transaction t, Phase phase, int stage, Instant now) {
            List<TransactionEvent> out = new ArrayList<>();
            for (StepState s : t.steps()) {
                if (s.stage() != stage || s.leg(phase).status() != LegStatus.IDLE) {
                    continue;
                }
                if (phase == Phase.COMPENSATION && !needsCompensation(t, s)) {
                    continue;
                }
                out.add(request(t, s.index(), phase, s.leg(phase).attempt() + 1, t.stepDefinition(s.index()), now));
            }
            return out;
        }

        private static String describe(Leg leg) {
            return switch (leg.status()) {
                case FAILED -> "failed: " + leg.reason();
                case TIMED_OUT -> "timed out at attempt " + leg.attempt();
                case EXHAUSTED -> "gave up after attempt " + leg.attempt() + ": " + leg.reason();
                case IDLE, IN_FLIGHT, RETRY_WAIT, SUCCEEDED -> leg.status().name().toLowerCase(java.util.Locale.ROOT);
            };
        }
    }
}
