/**
 * The addition rules of SPEC §5 — the content-based router's decisions — as pure Java: no Camel,
 * Spring, HTTP or database, and no clock.
 *
 * <p>Entry points:
 * <ul>
 * <li>{@link io.cwbridge.rules.AdditionRules#plan} (event, the subscription's known lines, mapping,
 *     partner rules) → {@link io.cwbridge.rules.AdditionPlan}: ordered CREATE / UPDATE (changed
 *     fields only) / DELETE operations, each naming its subscription line
 *     ({@link io.cwbridge.rules.LineKey}) and the rule in its reason.</li>
 * <li>{@link io.cwbridge.rules.MonthRoll#plan} (R18, for the global sync).</li>
 * <li>{@link io.cwbridge.rules.InvariantR10} and {@link io.cwbridge.rules.ExpectedLicences} (R10
 *     checker and the independent model of what should be billed).</li>
 * </ul>
 *
 * <p>Decisions where SPEC and guides leave a choice (each also commented at its rule):
 * <ul>
 * <li>Δ of a licence change = quantity − previousQuantity (out-of-order replays add up); without
 *     previousQuantity, against what the lines stand for.</li>
 * <li>Effective dates are never before the agreement start, the mapping's from date, the
 *     subscription start or the first day of the product's base line (R13, generalised).</li>
 * <li>R16 net 0 deletes a not-invoiced delta line.</li>
 * <li>R17a rounding: scale max(currency minor unit, input scale), HALF_UP, once; the formula as
 *     written (a change on the last day of the month is prorated to 0).</li>
 * <li>R18 splits the base (ends it, continues with the new quantity) unless it starts on the roll
 *     day; absorbs per product; carries the change into later stretches of the base.</li>
 * <li>R19 also on the purchase date; the new product's base is open when auto-renewing (as R25).</li>
 * <li>R22: a subscription never invoiced at all is deleted on cancellation; otherwise lines that
 *     still bill before the termination are cancelled as R21 says, and lines with nothing left to
 *     bill are deleted (never invoiced) or offset (invoiced).</li>
 * <li>R23: an open base stays open on auto-renew; a renewed term starts at the current licences.</li>
 * <li>R24: usage lines are quantity 1 for SaaS too, sent whatever the price source.</li>
 * <li>R25: setup amount = one line, quantity 1, cost 0, first month only.</li>
 * <li>R26: an invoiced line only accepts an earlier end date; every other change goes on a new
 *     line (difference, continuation or offset).</li>
 * </ul>
 */
package io.cwbridge.rules;
