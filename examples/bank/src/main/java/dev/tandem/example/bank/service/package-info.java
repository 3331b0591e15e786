/** The bank services: accounts kept as event streams in a bank's own store, and the coordinator that drives transfers. */
package dev.tandem.example.bank.service;
