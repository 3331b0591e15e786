package dev.tandem.bench.messaging;

import dev.tandem.messaging.Transport;
import dev.tandem.messaging.inprocess.InProcessTransport;

/** The embedded in-process transport. */
final class InProcessCase implements TransportCase {

    @Override
    public String name() {
        return "inprocess";
    }

    @Override
    public Transport open() {
        return new InProcessTransport();
    }
}
