package dev.tandem.example.bank.transfer;

/** How a transfer is carried out. */
public enum TransferMode {
    /** Try (reserve in the payer, announce in the payee), then confirm or cancel both. The default. */
    TCC,
    /** Debit the payer, then credit the payee; a refused credit is compensated by a refund. */
    SAGA
}
