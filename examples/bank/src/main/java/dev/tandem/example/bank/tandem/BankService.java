package dev.tandem.example.bank.tandem;

import dev.tandem.core.InvalidInputException;
import dev.tandem.eventstore.EventStore;
import dev.tandem.example.bank.transfer.AccountRef;
import dev.tandem.messaging.Transport;
import dev.tandem.messaging.runtime.ServiceNode;

/**
 * One bank as a service of its own: its accounts in its store, and a messaging node whose inbox runs the
 * {@link BankParticipant} on the transfer commands the coordinator sends it and whose outbox relay sends the
 * replies back, over any transport (in-process in one JVM, Kafka between processes).
 */
public final class BankService implements AutoCloseable {

    private final BankAccounts accounts;
    private final ServiceNode node;

    private BankService(String bank, EventStore store, Transport transport) {
        this.accounts = new BankAccounts(bank, store);
        String service = TransferDefinitions.participant(bank);
        this.node = ServiceNode.builder(store, service, transport).handle(service, BankParticipant.create(bank, store)).start();
    }

    /** Starts bank {@code bank} over {@code store} and {@code transport}, which the caller closes after this service. */
    public static BankService start(String bank, EventStore store, Transport transport) {
        AccountRef.requireName(bank, "bank");
        InvalidInputException.requireNonNull(store, "store");
        InvalidInputException.requireNonNull(transport, "transport");
        return new BankService(bank, store, transport);
    }

    public String bank() {
        return accounts.bank();
    }

    /** The bank's accounts, for its API. */
    public BankAccounts accounts() {
        return accounts;
    }

    /** The bank's messaging node (its outbox relay and inbox), e.g. for its parked messages. */
    public ServiceNode node() {
        return node;
    }

    /** Stops the messaging node; the store and the transport are the caller's. */
    @Override
    public void close() {
        node.close();
    }
}
