/** The end-to-end benchmark: bank transfers from request to recorded, acknowledged outcome. */
package dev.tandem.bench.e2e;
