package dev.tandem.bench.messaging;

import dev.tandem.messaging.Transport;
import java.util.List;

/**
 * A transport the messaging benchmark runs over: {@code name} goes into the metric names
 * ({@code messaging.<name>.throughput}). To add one (e.g. Kafka), add a case to {@link #all()}.
 */
public interface TransportCase extends AutoCloseable {

    String name();

    /** A fresh transport for one measured run; the case closes whatever else it started in {@link #close()}. */
    Transport open() throws Exception;

    @Override
    default void close() {}

    /** The cases {@code tandem bench messaging} runs, in order. */
    static List<TransportCase> all() {
        return List.of(new InProcessCase(), new KafkaCase());
    }
}
