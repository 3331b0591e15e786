/** JSON encoding with one shared, configured Jackson mapper. */
package dev.tandem.core.json;
