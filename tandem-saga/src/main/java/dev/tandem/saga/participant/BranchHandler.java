package dev.tandem.saga.participant;

/**
 * Business logic of one participant operation (an action, compensation, try, confirm or cancel).
 *
 * <p>It reads what it needs and returns writes; it must not write itself. The barrier runs it at most
 * once in effect per branch and phase. A thrown exception writes nothing and the message is redelivered.
 */
@FunctionalInterface
public interface BranchHandler {

    BranchResult handle(BranchContext context) throws Exception;
}
