package dev.tandem.example.bank.transfer;

import dev.tandem.core.InvalidInputException;
import dev.tandem.example.bank.account.Money;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * A request to move {@code amount} from one account to another.
 *
 * @param idempotencyKey the client's key: the same key always names the same transfer
 * @param from the paying account
 * @param to the receiving account, a different one
 * @param amount what moves; its currency must be that of both accounts
 * @param mode TCC or saga
 */
public record TransferRequest(String idempotencyKey, AccountRef from, AccountRef to, Money amount, TransferMode mode) {

    public static final int MAX_KEY_LENGTH = 128;

    public TransferRequest {
        InvalidInputException.requireText(idempotencyKey, "idempotencyKey", MAX_KEY_LENGTH);
        InvalidInputException.requireNonNull(from, "from");
        InvalidInputException.requireNonNull(to, "to");
        InvalidInputException.requireNonNull(amount, "amount");
        InvalidInputException.requireNonNull(mode, "mode");
    }

    /** The transfer's id, derived from the idempotency key so a retried request finds its transfer. */
    public UUID transferId() {
        return idFor(idempotencyKey);
    }

    public static UUID idFor(String idempotencyKey) {
        return UUID.nameUUIDFromBytes(("transfer:" + idempotencyKey).getBytes(StandardCharsets.UTF_8));
    }
}
