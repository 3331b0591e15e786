/** Test support for Tandem users and adapter authors: contract suites for every SPI and fixtures. */
package dev.tandem.testkit;
