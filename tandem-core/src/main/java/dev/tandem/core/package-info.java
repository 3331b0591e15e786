/** Errors, ids and codecs shared by every Tandem module. */
package dev.tandem.core;
