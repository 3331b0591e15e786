package dev.tandem.saga.definition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Builds a TCC definition: each participant has a try, a confirm and a cancel; all tries run in parallel.
 *
 * <pre>{@code
 * TransactionDefinition booking = TransactionDefinition.tcc("booking", 1)
 *         .participant("seat", p -> p.participant("flights").tryOp("hold").confirm("book").cancel("release"))
 *         .participant("room", p -> p.participant("hotels").tryOp("hold").confirm("book").cancel("release"))
 *         .build();
 * }</pre>
 */
public final class TccBuilder {

    private final String name;
    private final int version;
    private final List<StepDefinition> participants = new ArrayList<>();
    private Duration deadline = Duration.ofMinutes(1);

    TccBuilder(String name, int version) {
        this.name = name;
        this.version = version;
    }

    /** Adds a participant branch named {@code branchName}. */
    public TccBuilder participant(String branchName, Consumer<StepBuilder> spec) {
        participants.add(StepBuilder.build(branchName, spec));
        return this;
    }

    /** How long the try phase may take in total (default 1 minute). */
    public TccBuilder deadline(Duration value) {
        this.deadline = value;
        return this;
    }

    public TransactionDefinition build() {
        return new TransactionDefinition(name, version, TransactionKind.TCC, List.of(participants), deadline);
    }
}
