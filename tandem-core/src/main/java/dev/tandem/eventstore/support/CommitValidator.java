package dev.tandem.eventstore.support;

import dev.tandem.core.InvalidInputException;
import dev.tandem.eventstore.Commit;
import dev.tandem.eventstore.NewEvent;
import dev.tandem.eventstore.StoreOptions;
import dev.tandem.eventstore.StreamWrite;

/** Checks a commit against a store's limits before it is queued, so a refused commit writes nothing. */
public final class CommitValidator {

    private CommitValidator() {}

    public static Commit validate(Commit commit, StoreOptions options) {
        InvalidInputException.requireNonNull(commit, "commit");
        int events = commit.eventCount();
        if (events > options.maxEventsPerCommit()) {
            throw InvalidInputException.of("commit", "carries " + events + " events, the limit is " + options.maxEventsPerCommit());
        }
        for (StreamWrite w : commit.writes()) {
            for (NewEvent e : w.events()) {
                if (e.payload().length > options.maxPayloadBytes()) {
                    throw InvalidInputException.tooLarge("payload of event " + e.id() + " (" + e.type() + ") in " + w.stream(),
                            e.payload().length, options.maxPayloadBytes());
                }
            }
        }
        return commit;
    }
}
