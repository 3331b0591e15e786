package dev.tandem.simulator;

import dev.tandem.saga.definition.DefinitionRegistry;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * What a simulation runs (the user API): transaction definitions, the participants that serve them, the
 * transactions to start and the invariants that must hold once the run is quiet.
 *
 * <p>Participants receive {@link dev.tandem.saga.protocol.BranchCommand} messages and reply with routed
 * {@link dev.tandem.saga.protocol.BranchReply} events, exactly as in production; the simulator adds the inbox
 * and the transport. A scenario must be deterministic given the random generator it is handed.
 */
public interface Scenario {

    /** The definitions the coordinator knows. */
    DefinitionRegistry definitions();

    /** Participant destination name to handler factory, in a stable order. */
    Map<String, ParticipantFactory> participants();

    /** The transactions of one run, drawn from {@code random}. */
    List<PlannedTransaction> plan(RandomGenerator random);

    /**
     * Checks the scenario's own invariants on the quiet end state; throw {@link InvariantViolation#of} (or any
     * {@link AssertionError}) to fail the seed.
     */
    void verify(SimulationOutcome outcome);
}
