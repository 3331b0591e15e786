/** The account aggregate as a pure decider: money, commands, events, refusals and the rules between them. */
package dev.tandem.example.bank.account;
