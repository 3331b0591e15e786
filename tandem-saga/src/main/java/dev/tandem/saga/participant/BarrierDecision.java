package dev.tandem.saga.participant;

/** What the barrier says to do with an incoming branch command. */
public sealed interface BarrierDecision {

    /** Run the business handler, then record its outcome with {@link Barrier#recordOutcome}. */
    record Execute() implements BarrierDecision {}

    /** Do not run the handler: append {@code event} (it is the reply). */
    record Answer(BarrierEvent event) implements BarrierDecision {}

    Execute EXECUTE = new Execute();
}
