package dev.tandem.simulator.node;

import dev.tandem.messaging.Message;

/** The volatile part of a node: built from the node's store at every start, thrown away by a crash. */
public interface NodeProcess {

    /**
     * Handles a delivered message, committing its effects together with its inbox record.
     *
     * @return true when the message is handled now or was handled before (the sender may stop re-sending)
     */
    boolean deliver(Message message);
}
