package dev.tandem.saga.definition;

import java.time.Duration;
import java.util.function.Consumer;

/** Collects the parts of one step (saga) or participant branch (TCC); defaults: 10 s timeout, {@link RetryPolicy#DEFAULT}, {@link RetryPolicy#PERSISTENT}. */
public final class StepBuilder {

    private final String name;
    private String participant;
    private String action;
    private String compensation;
    private String confirm;
    private RetryPolicy retry = RetryPolicy.DEFAULT;
    private Duration timeout = Duration.ofSeconds(10);
    private RetryPolicy compensationRetry = RetryPolicy.PERSISTENT;

    private StepBuilder(String name) {
        this.name = name;
    }

    static StepDefinition build(String name, Consumer<StepBuilder> spec) {
        StepBuilder b = new StepBuilder(name);
        spec.accept(b);
        return new StepDefinition(b.name, b.participant, b.action, b.compensation, b.confirm, b.retry, b.timeout, b.compensationRetry);
    }

    /** The destination commands of this step are sent to. */
    public StepBuilder participant(String destination) {
        this.participant = destination;
        return this;
    }

    public StepBuilder action(String operation) {
        this.action = operation;
        return this;
    }

    public StepBuilder compensation(String operation) {
        this.compensation = operation;
        return this;
    }

    /** The TCC try (same as {@link #action}). */
    public StepBuilder tryOp(String operation) {
        return action(operation);
    }

    public StepBuilder confirm(String operation) {
        this.confirm = operation;
        return this;
    }

    /** The TCC cancel (same as {@link #compensation}). */
    public StepBuilder cancel(String operation) {
        return compensation(operation);
    }

    public StepBuilder retry(RetryPolicy policy) {
        this.retry = policy;
        return this;
    }

    public StepBuilder timeout(Duration value) {
        this.timeout = value;
        return this;
    }

    /** Retries of compensation, confirm and cancel; when exhausted the transaction is STUCK. */
    public StepBuilder compensationRetry(RetryPolicy policy) {
        this.compensationRetry = policy;
        return this;
    }
}
