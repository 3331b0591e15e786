/** The quickstart: an order saga across an inventory and a payments service, in one JVM on SQLite and the in-process transport. */
package dev.tandem.example.quickstart;
