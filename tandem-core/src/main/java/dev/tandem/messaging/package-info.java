/** The message envelope that crosses service boundaries, and the handler contract of the inbox. */
package dev.tandem.messaging;
