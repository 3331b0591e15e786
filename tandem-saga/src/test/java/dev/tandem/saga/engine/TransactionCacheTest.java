package dev.tandem.saga.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.eventstore.NewEvent;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The cache's rules on its own; the states are left out (null), only versions and trust matter here. */
@DisplayName("The coordinator's transaction cache")
class TransactionCacheTest {

    private final TransactionCache cache = new TransactionCache();

    private static NewEvent event() {
        return NewEvent.json("E", Map.of());
    }

    @Test
    void keepsALaterDecisionWhenAnOlderOneIsReportedDurableAfterIt() {
        TransactionCache.Entry reply = TransactionCache.Entry.decided(null, 3, List.of(event(), event()), 0);
        cache.put("t1", reply);

        cache.put("t1", TransactionCache.Entry.stored(null, 3, 0)); // the start's completion, late

        assertThat(cache.get("t1")).isSameAs(reply);
    }

    @Test
    void aDecisionOnTheSameVersionReplacesATrustedEntryAndIsTrustedOnlyOnceConfirmed() {
        cache.put("t1", TransactionCache.Entry.stored(null, 3, 0));
        TransactionCache.Entry noChange = TransactionCache.Entry.decided(null, 3, List.of(), 0);

        cache.put("t1", noChange);
        assertThat(cache.get("t1").trusted()).isFalse();

        cache.confirm("t1", noChange);
        assertThat(cache.get("t1").trusted()).isTrue();
        assertThat(cache.get("t1").version()).isEqualTo(3);
    }
}
