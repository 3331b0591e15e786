package dev.tandem.messaging.inbox;

/**
 * When an {@link InboxConsumer} looks a delivered message up in its inbox before running the handler. Whatever the
 * choice, a redelivered message is never applied twice: the inbox entry is part of the handling's commit, and the
 * store refuses a second one for the same key ({@link dev.tandem.eventstore.DuplicateMessageException}), which the
 * consumer then treats exactly like a duplicate it found first. The look-up only saves running the handler for a
 * duplicate, at the price of one read per message (per batch, where the store can).
 */
public enum InboxCheck {

    /** Look every message up first. For handlers that are costly, or must not even see a duplicate. */
    ALWAYS,

    /**
     * Look messages up while duplicates arrive, and let the commit refuse them otherwise: the consumer checks from
     * its start (a restart is when redeliveries come) until {@link #CLEAN_BATCHES} delivered batches in a row held no
     * duplicate, and checks again from the moment a commit is refused as a duplicate. Redeliveries are rare in steady
     * state, so this saves the read for nearly every message and costs, per burst of duplicates, the refused commits of
     * the batches already under way when the first one was refused (each of which the store may re-plan).
     */
    ADAPTIVE,

    /** Never look first: the commit alone refuses duplicates, each after its handler ran. */
    NEVER;

    /** Batches in a row without a duplicate after which {@link #ADAPTIVE} stops looking first. */
    public static final int CLEAN_BATCHES = 32;
}
