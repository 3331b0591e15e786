package dev.tandem.example.bank.service;

import dev.tandem.core.InvalidInputException;
import dev.tandem.core.json.Json;
import dev.tandem.eventstore.Metadata;
import dev.tandem.eventstore.NewEvent;
import dev.tandem.eventstore.RecordedEvent;
import dev.tandem.eventstore.StreamId;
import dev.tandem.example.bank.account.AccountEvent;
import java.util.Map;

/** How account events are stored: type name = record name, JSON payload, the transfer as transaction id. */
final class AccountCodec {

    private AccountCodec() {}

    static StreamId stream(String accountId) {
        return StreamId.of("account", accountId);
    }

    static NewEvent encode(AccountEvent event) {
        Metadata metadata = event.transfer() == null ? Metadata.EMPTY : new Metadata(null, null, event.transfer().toString(), Map.of());
        return new NewEvent(NewEvent.newId(), event.typeName(), Json.encode(event), Json.CONTENT_TYPE, metadata, null);
    }

    static AccountEvent decode(RecordedEvent event) {
        Class<? extends AccountEvent> type = AccountEvent.typeOf(event.type());
        if (type == null) {
            throw InvalidInputException.of("event.type", "unknown account event type '" + event.type() + "' at " + event);
        }
        return event.payloadAs(type);
    }
}
