/**
 * Read side of the sync tasks (SPEC 8.2): one task per accepted event, with the ConnectWise
 * operations it planned and which of them are done. The sync engine writes these tables; this
 * package only reads them.
 */
package io.cwbridge.tasks;
