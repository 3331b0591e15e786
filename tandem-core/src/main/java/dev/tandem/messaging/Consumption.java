package dev.tandem.messaging;

/** A running consumer of one destination; closing it stops delivery after the batch in progress. */
public interface Consumption extends AutoCloseable {

    String destination();

    String group();

    @Override
    void close();
}
