package dev.tandem.messaging;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** A transport whose publish outcome a test decides per call; it records what was published successfully. */
public final class ScriptedTransport implements Transport {

    private final Function<List<Message>, CompletableFuture<Void>> script;
    private final List<Message> published = new ArrayList<>();
    private final int publishesInFlight;
    private int calls;

    public ScriptedTransport(Function<List<Message>, CompletableFuture<Void>> script) {
        this(script, 1);
    }

    /** @param publishesInFlight what it tells the relay it may keep in flight */
    public ScriptedTransport(Function<List<Message>, CompletableFuture<Void>> script, int publishesInFlight) {
        this.script = script;
        this.publishesInFlight = publishesInFlight;
    }

    @Override
    public int publishesInFlight() {
        return publishesInFlight;
    }

    public static ScriptedTransport accepting() {
        return new ScriptedTransport(m -> CompletableFuture.completedFuture(null));
    }

    @Override
    public synchronized CompletableFuture<Void> publish(List<Message> messages) {
        calls++;
        CompletableFuture<Void> f = script.apply(messages);
        List<Message> copy = List.copyOf(messages);
        return f.thenRun(() -> {
            synchronized (this) {
                published.addAll(copy);
            }
        });
    }

    public synchronized List<Message> published() {
        return List.copyOf(published);
    }

    public synchronized int calls() {
        return calls;
    }

    @Override
    public Consumption consume(String destination, String group, MessageBatchListener listener) {
        throw new UnsupportedOperationException("publish only");
    }

    @Override
    public void close() {}
}
