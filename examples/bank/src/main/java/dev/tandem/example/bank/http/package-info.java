/** The bank's HTTP/JSON API on the JDK's HTTP server: accounts per bank, transfers on the coordinator. */
package dev.tandem.example.bank.http;
