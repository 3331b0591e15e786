/** Transaction definitions (sagas and TCC), their fluent builders and the registry of named, versioned definitions. */
package dev.tandem.saga.definition;
