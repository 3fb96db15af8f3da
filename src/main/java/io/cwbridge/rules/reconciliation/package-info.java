/**
 * Billing reconciliation rules (SPEC 6, R32) in plain Java: the providers' cutover windows, the
 * ConnectWise (PSA) values of a billing month, and the status a reconciliation takes. No Camel,
 * Spring or I/O here, so every rule is tested on its own.
 */
package io.cwbridge.rules.reconciliation;
