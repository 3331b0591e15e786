/** The bank model: transfers from bank A to bank B as a saga and as TCC, with the invariants money must keep. */
package dev.tandem.simulator.bank;
