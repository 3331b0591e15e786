/** A transfer between two bank accounts: the request, its modes (TCC, saga) and the coordinator's decider. */
package dev.tandem.example.bank.transfer;
