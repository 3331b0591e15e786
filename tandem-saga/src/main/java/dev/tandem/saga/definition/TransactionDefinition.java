package dev.tandem.saga.definition;

import dev.tandem.core.InvalidInputException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A named, versioned transaction definition: stages of steps run in order, the steps of one stage in parallel.
 *
 * <p>A plain saga has one step per stage. A TCC definition has a single stage holding every
 * participant (all tries run in parallel). Build one with {@link #saga} or {@link #tcc}.
 *
 * <p>A saga step without a compensation is the saga's <em>pivot</em>: once its action may have taken
 * effect it cannot be undone, so it must be the last step, alone in its stage, and the coordinator never
 * gives up on it — a timeout or a transient failure re-sends the action (the participant barrier answers
 * a re-sent action with its first reply) under the step's compensation-retry policy until a definite
 * answer arrives, the deadline no longer aborts, and a policy exhausted leaves the transaction
 * {@code STUCK} rather than guessing. Only a definite business failure, which the barrier records as
 * having had no effect, aborts the saga.
 *
 * @param name the definition's name, e.g. {@code transfer}
 * @param version the definition's version, at least 1; running instances keep the version they started with
 * @param kind saga or TCC
 * @param stages non-empty; each stage non-empty
 * @param deadline how long the forward phase may take in total before the transaction is aborted
 */
public record TransactionDefinition(String name, int version, TransactionKind kind, List<List<StepDefinition>> stages, Duration deadline) {

    public static final int MAX_NAME = 100;

    public TransactionDefinition {
        InvalidInputException.requireText(name, "definition.name", MAX_NAME);
        if (version < 1) {
            throw InvalidInputException.of("definition.version", "must be at least 1, was " + version);
        }
        InvalidInputException.requireNonNull(kind, "definition.kind");
        InvalidInputException.requireNonNull(stages, "definition.stages");
        RetryPolicy.requirePositive(deadline, "definition.deadline");
        if (stages.isEmpty()) {
            throw InvalidInputException.of("definition.stages", name + " v" + version + " has no steps");
        }
        List<List<StepDefinition>> copy = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (List<StepDefinition> stage : stages) {
            if (stage == null || stage.isEmpty()) {
                throw InvalidInputException.of("definition.stages", name + " v" + version + " has an empty parallel group");
            }
            for (StepDefinition s : stage) {
                InvalidInputException.requireNonNull(s, "definition.step");
                if (!names.add(s.name())) {
                    throw InvalidInputException.of("definition.steps", name + " v" + version + " has two steps named " + s.name());
                }
                if (kind == TransactionKind.TCC && (s.confirm() == null || s.compensation() == null)) {
                    throw InvalidInputException.of("definition.steps", "TCC participant " + s.name() + " needs a confirm and a cancel");
                }
            }
            copy.add(List.copyOf(stage));
        }
        if (kind == TransactionKind.TCC && copy.size() != 1) {
            throw InvalidInputException.of("definition.stages", "a TCC definition has exactly one group of participants");
        }
        for (int i = 0; i < copy.size(); i++) {
            for (StepDefinition s : copy.get(i)) {
                if (s.compensation() == null && (i != copy.size() - 1 || copy.get(i).size() != 1)) {
                    throw InvalidInputException.of("definition.steps", name + " v" + version + ": step " + s.name()
                            + " has no compensation, so it can only be the saga's pivot: its last step, alone in its stage"
                            + " (stage " + (i + 1) + " of " + copy.size() + " holds " + copy.get(i).size() + " step(s))");
                }
            }
        }
        stages = List.copyOf(copy);
    }

    /** Starts a saga definition. */
    public static SagaBuilder saga(String name, int version) {
        return new SagaBuilder(name, version);
    }

    /** Starts a TCC definition. */
    public static TccBuilder tcc(String name, int version) {
        return new TccBuilder(name, version);
    }

    /** All steps in order: stage by stage; a step's index in this list is its step number. */
    public List<StepDefinition> steps() {
        List<StepDefinition> all = new ArrayList<>();
        stages.forEach(all::addAll);
        return all;
    }

    /** Step number {@code index} (see {@link #steps()}), found without copying the steps: the engine asks on every reply. */
    public StepDefinition step(int index) {
        int i = index;
        if (i >= 0) {
            for (List<StepDefinition> stage : stages) {
                if (i < stage.size()) {
                    return stage.get(i);
                }
                i -= stage.size();
            }
        }
        throw new IndexOutOfBoundsException("step " + index + " of " + name + " v" + version + ", which has " + stepCount() + " steps");
    }

    /** How many steps it has, across all stages. */
    public int stepCount() {
        int n = 0;
        for (List<StepDefinition> stage : stages) {
            n += stage.size();
        }
        return n;
    }

    /** The stage of each step, by step number. */
    public int[] stageOfSteps() {
        int[] result = new int[stepCount()];
        int i = 0;
        for (int s = 0; s < stages.size(); s++) {
            for (int k = 0; k < stages.get(s).size(); k++) {
                result[i++] = s;
            }
        }
        return result;
    }

    /** {@code name@version}, how instances refer to this definition. */
    public String id() {
        return name + "@" + version;
    }
}
