package dev.tandem.example.bank.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** {@link Legs} is a persistent map: every version answers as a plain map of what was put into it. */
class LegsTest {

    record Put(UUID transfer, Leg leg) {}

    @Property(tries = 300)
    void everyVersionHoldsExactlyWhatWasPutIntoIt(@ForAll("puts") List<Put> puts) {
        Map<UUID, Leg> model = new HashMap<>();
        Legs legs = Legs.EMPTY;
        List<Legs> versions = new ArrayList<>();
        List<Map<UUID, Leg>> models = new ArrayList<>();
        for (Put p : puts) {
            legs = legs.with(p.transfer(), p.leg());
            model.put(p.transfer(), p.leg());
            versions.add(legs);
            models.add(Map.copyOf(model));
        }
        for (int i = 0; i < versions.size(); i++) { // older versions are untouched by later updates
            Legs v = versions.get(i);
            Map<UUID, Leg> m = models.get(i);
            assertThat(v.size()).isEqualTo(m.size());
            for (Put p : puts) {
                assertThat(v.get(p.transfer())).isEqualTo(m.get(p.transfer()));
            }
        }
    }

    @Property(tries = 100)
    void equalContentIsEqualWhateverTheOrderOfUpdates(@ForAll("puts") List<Put> puts) {
        Map<UUID, Leg> last = new HashMap<>();
        puts.forEach(p -> last.put(p.transfer(), p.leg()));
        Legs inOrder = Legs.EMPTY;
        for (Put p : puts) {
            inOrder = inOrder.with(p.transfer(), p.leg());
        }
        List<Map.Entry<UUID, Leg>> shuffled = new ArrayList<>(last.entrySet());
        Collections.shuffle(shuffled, new Random(puts.size()));
        Legs direct = Legs.EMPTY;
        for (Map.Entry<UUID, Leg> e : shuffled) {
            direct = direct.with(e.getKey(), e.getValue());
        }
        assertThat(direct).isEqualTo(inOrder).hasSameHashCodeAs(inOrder);
        if (!last.isEmpty()) {
            UUID any = shuffled.getFirst().getKey();
            assertThat(direct.with(any, new Leg(Leg.State.CANCELLED_BEFORE_TRY, 1_000_001))).isNotEqualTo(inOrder);
        }
    }

    @Test
    void anAccountWithAHundredThousandTransfersStillFindsEachOfThem() {
        Legs legs = Legs.EMPTY;
        List<UUID> ids = new ArrayList<>();
        Random random = new Random(7);
        for (int i = 0; i < 100_000; i++) {
            UUID id = new UUID(random.nextLong(), random.nextLong());
            ids.add(id);
            legs = legs.with(id, new Leg(Leg.State.SETTLED, i));
        }
        assertThat(legs.size()).isEqualTo(100_000);
        for (int i = 0; i < ids.size(); i += 997) {
            assertThat(legs.get(ids.get(i))).isEqualTo(new Leg(Leg.State.SETTLED, i));
        }
        assertThat(legs.get(new UUID(1, 2))).isNull();
    }

    @Provide
    Arbitrary<List<Put>> puts() {
        // Few transfer ids, so updates of an existing leg are common; states and amounts vary.
        Arbitrary<UUID> transfers = Arbitraries.integers().between(0, 40).map(i -> new UUID(0x5EED, i));
        Arbitrary<Leg> legs = Combinators.combine(Arbitraries.of(Leg.State.class), Arbitraries.longs().between(0, 1_000_000)).as(Leg::new);
        return Combinators.combine(transfers, legs).as(Put::new).list().ofMaxSize(200);
    }
}
