/** The bank transfer as a Tandem transaction: definitions, bank participants and the embedded wiring on the engine. */
package dev.tandem.example.bank.tandem;
