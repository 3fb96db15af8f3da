/**
 * The marketplace event of SPEC §8.1 as plain records, with the contract's field names, readable by
 * Jackson as they are: {@link io.cwbridge.events.SubscriptionEvent} (eventId, partnerId, type,
 * action, occurredAt, subscription, upgradeTo, usage, cancellationDate). Money is BigDecimal,
 * dates are LocalDate, occurredAt an Instant; {@link io.cwbridge.events.SubscriptionEvent#changeDate()}
 * is "the date of the change" c. No validation here: the pipeline validates against the JSON schema.
 */
package io.cwbridge.events;
