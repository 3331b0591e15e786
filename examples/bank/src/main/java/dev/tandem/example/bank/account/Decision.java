package dev.tandem.example.bank.account;

import java.util.List;

/** The outcome of deciding a command: the events to record (none for a repeat) or a refusal. */
public sealed interface Decision {

    /** The command is accepted; {@code events} is empty when it repeats one already applied. */
    record Accepted(List<AccountEvent> events) implements Decision {
        public Accepted {
            events = List.copyOf(events);
        }
    }

    /** The command is refused; nothing is recorded. */
    record Refused(Refusal refusal) implements Decision {}

    static Decision accept(AccountEvent event) {
        return new Accepted(List.of(event));
    }

    static Decision repeat() {
        return new Accepted(List.of());
    }

    static Decision refuse(Refusal.Reason reason, String detail) {
        return new Refused(Refusal.of(reason, detail));
    }
}
