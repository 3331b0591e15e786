/** Jepsen-style verification of the bank: the load generator, the recorded history and the checker. */
package dev.tandem.example.bank.verify;
