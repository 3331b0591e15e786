package dev.tandem.example.bank.tandem;

import dev.tandem.core.TransientException;
import java.util.Optional;

/**
 * This coordinator instance stands by while another leads (several instances on one store): start transfers at the
 * leader. Reads work on every instance, since they share the store.
 */
public final class StandingByException extends TransientException {

    private final String leader;

    StandingByException(String instance, Optional<String> leader) {
        super("coordinator instance " + instance + " stands by: "
                + leader.map(l -> "instance " + l + " leads; start transfers there").orElse("no instance leads right now; try again shortly"));
        this.leader = leader.orElse(null);
    }

    /** The instance that led when this was thrown, if any did. */
    public Optional<String> leader() {
        return Optional.ofNullable(leader);
    }
}
