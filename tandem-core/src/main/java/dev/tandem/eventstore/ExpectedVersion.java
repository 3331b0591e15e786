package dev.tandem.eventstore;

import dev.tandem.core.InvalidInputException;

/** What an append expects of its stream's current version; a mismatch raises {@link StreamVersionConflict}. */
public sealed interface ExpectedVersion {

    /** Append whatever the current version is. */
    record Any() implements ExpectedVersion {
        @Override
        public String toString() {
            return "any";
        }
    }

    /** Append only when the stream has no events yet. */
    record NoStream() implements ExpectedVersion {
        @Override
        public String toString() {
            return "no stream";
        }
    }

    /** Append only when the stream's last event has exactly this version (0 means no stream). */
    record Exactly(long version) implements ExpectedVersion {
        public Exactly {
            if (version < 0) {
                throw InvalidInputException.negative("expectedVersion", version);
            }
        }

        @Override
        public String toString() {
            return Long.toString(version);
        }
    }

    ExpectedVersion ANY = new Any();
    ExpectedVersion NO_STREAM = new NoStream();

    static ExpectedVersion any() {
        return ANY;
    }

    static ExpectedVersion noStream() {
        return NO_STREAM;
    }

    static ExpectedVersion exactly(long version) {
        return new Exactly(version);
    }

    /** Whether a stream whose last version is {@code current} (0 when empty) satisfies this expectation. */
    default boolean accepts(long current) {
        return switch (this) {
            case Any a -> true;
            case NoStream n -> current == 0;
            case Exactly e -> e.version() == current;
        };
    }
}
