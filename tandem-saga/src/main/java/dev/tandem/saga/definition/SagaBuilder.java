package dev.tandem.saga.definition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Builds a saga: {@code step(...)} adds a stage of one step, {@code parallel(...)} a stage whose steps run together.
 *
 * <pre>{@code
 * TransactionDefinition transfer = TransactionDefinition.saga("transfer", 1)
 *         .step("debit", s -> s.participant("bank-a").action("debit").compensation("refund"))
 *         .step("credit", s -> s.participant("bank-b").action("credit").compensation("reverse"))
 *         .deadline(Duration.ofSeconds(30))
 *         .build();
 * }</pre>
 */
public final class SagaBuilder {

    private final String name;
    private final int version;
    private final List<List<StepDefinition>> stages = new ArrayList<>();
    private Duration deadline = Duration.ofMinutes(1);

    SagaBuilder(String name, int version) {
        this.name = name;
        this.version = version;
    }

    /** Adds a step that runs after the previous stage completed. */
    public SagaBuilder step(String stepName, Consumer<StepBuilder> spec) {
        stages.add(List.of(StepBuilder.build(stepName, spec)));
        return this;
    }

    /** Adds a group of steps that run in parallel after the previous stage completed. */
    public SagaBuilder parallel(Consumer<ParallelGroup> group) {
        ParallelGroup g = new ParallelGroup();
        group.accept(g);
        stages.add(List.copyOf(g.steps));
        return this;
    }

    /** How long the forward phase may take in total (default 1 minute). */
    public SagaBuilder deadline(Duration value) {
        this.deadline = value;
        return this;
    }

    public TransactionDefinition build() {
        return new TransactionDefinition(name, version, TransactionKind.SAGA, stages, deadline);
    }

    /** The steps of one parallel group. */
    public static final class ParallelGroup {
        private final List<StepDefinition> steps = new ArrayList<>();

        public ParallelGroup step(String stepName, Consumer<StepBuilder> spec) {
            steps.add(StepBuilder.build(stepName, spec));
            return this;
        }
    }
}
