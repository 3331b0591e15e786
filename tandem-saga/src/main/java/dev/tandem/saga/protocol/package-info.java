/** The messages between a coordinator and its participants: branch commands and their replies. */
package dev.tandem.saga.protocol;
