package dev.tandem.eventstore;

import dev.tandem.core.InvalidInputException;

/** Sets the named durable checkpoint to {@code position} as part of a commit. */
public record CheckpointUpdate(String name, long position) {

    public CheckpointUpdate {
        InvalidInputException.requireText(name, "checkpoint.name", 200);
        if (position < 0) {
            throw InvalidInputException.negative("checkpoint.position", position);
        }
    }
}
