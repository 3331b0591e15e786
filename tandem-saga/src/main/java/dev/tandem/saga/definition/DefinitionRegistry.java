package dev.tandem.saga.definition;

import dev.tandem.core.InvalidInputException;
import dev.tandem.core.NonTransientException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The known transaction definitions, by name and version; new starts use the latest version of a name.
 *
 * <p>Registering the same name and version twice is allowed only with an identical definition, so a
 * running instance always finds exactly the definition it started with.
 */
public final class DefinitionRegistry {

    private final ConcurrentMap<String, TreeMap<Integer, TransactionDefinition>> byName = new ConcurrentHashMap<>();

    /** A registry holding {@code definitions}. */
    public static DefinitionRegistry of(TransactionDefinition... definitions) {
        DefinitionRegistry r = new DefinitionRegistry();
        for (TransactionDefinition d : definitions) {
            r.register(d);
        }
        return r;
    }

    /** Adds {@code definition}; the same name and version with different content is refused. */
    public DefinitionRegistry register(TransactionDefinition definition) {
        InvalidInputException.requireNonNull(definition, "definition");
        TreeMap<Integer, TransactionDefinition> versions = byName.computeIfAbsent(definition.name(), n -> new TreeMap<>());
        synchronized (versions) {
            TransactionDefinition existing = versions.putIfAbsent(definition.version(), definition);
            if (existing != null && !existing.equals(definition)) {
                throw InvalidInputException.of("definition", definition.id() + " is already registered with different content");
            }
        }
        return this;
    }

    /** The latest version of {@code name}. */
    public TransactionDefinition latest(String name) {
        TreeMap<Integer, TransactionDefinition> versions = byName.get(name);
        if (versions == null) {
            throw unknown(name + " (any version)");
        }
        synchronized (versions) {
            return versions.lastEntry().getValue();
        }
    }

    /** Exactly {@code name} at {@code version}. */
    public TransactionDefinition get(String name, int version) {
        return find(name, version).orElseThrow(() -> unknown(name + "@" + version));
    }

    public Optional<TransactionDefinition> find(String name, int version) {
        TreeMap<Integer, TransactionDefinition> versions = byName.get(name);
        if (versions == null) {
            return Optional.empty();
        }
        synchronized (versions) {
            return Optional.ofNullable(versions.get(version));
        }
    }

    /** Every registered definition, by name then version. */
    public Map<String, Map<Integer, TransactionDefinition>> all() {
        Map<String, Map<Integer, TransactionDefinition>> result = new TreeMap<>();
        byName.forEach((n, v) -> {
            synchronized (v) {
                result.put(n, Map.copyOf(v));
            }
        });
        return result;
    }

    private static NonTransientException unknown(String what) {
        return new UnknownDefinitionException("no transaction definition " + what + " is registered");
    }

    /** A start or a replay named a definition the registry does not hold. */
    public static final class UnknownDefinitionException extends NonTransientException {
        UnknownDefinitionException(String message) {
            super(message);
        }
    }
}
