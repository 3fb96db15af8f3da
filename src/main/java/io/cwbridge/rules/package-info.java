/**
 * The addition rules of SPEC §5 — the content-based router's decisions — as pure Java: no Camel,
 * Spring, HTTP or database, and no clock.
 *
 * <p>Entry points:
 * <ul>
 * <li>One per order type and action, each (event, the subscription's known lines, mapping, partner
 *     rules) → {@link io.cwbridge.rules.AdditionPlan}: ordered CREATE / UPDATE (changed fields only) /
 *     DELETE operations, each naming its subscription line ({@link io.cwbridge.rules.LineKey}) and the
 *     rule in its reason. {@link io.cwbridge.rules.AdditionRules#salesOrder} (R25),
 *     {@link io.cwbridge.rules.AdditionRules#quantityChange} (R11–R16),
 *     {@link io.cwbridge.rules.AdditionRules#upgrade} (R19, R20),
 *     {@link io.cwbridge.rules.AdditionRules#renewal} (R23),
 *     {@link io.cwbridge.rules.AdditionRules#priceChange} (R17),
 *     {@link io.cwbridge.rules.AdditionRules#billingOrder} (R24),
 *     {@link io.cwbridge.rules.AdditionRules#cancellationOrder} (R21, R22).</li>
 * <li>The router that picks one is route {@code addition-rules} in {@code routes/order-types.yaml}
 *     (routes {@code sales-order}, {@code change-order}, {@code billing-order},
 *     {@code cancellation-order}, each calling its entry point through {@code sync/TaskPlanner}; an
 *     unmapped event takes the NEEDS_MAPPING branch). {@link io.cwbridge.rules.AdditionRules#plan}
 *     with {@link io.cwbridge.rules.AdditionRules#ruleFor} is the same choice in Java, for callers
 *     outside the routes.</li>
 * <li>{@link io.cwbridge.rules.MonthRoll#plan} (R18, for the global sync; also
 *     {@link io.cwbridge.rules.AdditionRules#monthRoll}).</li>
 * <li>{@link io.cwbridge.rules.CutoverRule#plan} (R6 cut-over: the cut day and what happens to the
 *     hand-made addition).</li>
 * <li>{@link io.cwbridge.rules.LineOverrides#check} and {@link io.cwbridge.rules.LineOverrides#apply}
 *     (R31 task overrides checked against R26, R27 and the term, applied to a plan).</li>
 * <li>The R10 checker ({@code InvariantR10}) and the independent model of what should be billed
 *     ({@code ExpectedLicences}) are test oracles: they live with the tests (src/test).</li>
 * </ul>
 *
 * <p>Decisions where SPEC and guides leave a choice (each also commented at its rule):
 * <ul>
 * <li>R6 cut-over: the cut day is the next invoice date N; a hand-made addition never invoiced (its
 *     effective date E ≥ N) is deleted and the bundle's base line starts on E; one that already ends
 *     before the cut day is kept; a subscription ending before the cut day is refused.</li>
 * <li>Δ of a licence change = quantity − previousQuantity (out-of-order replays add up); without
 *     previousQuantity, against what the lines stand for.</li>
 * <li>Effective dates are never before the agreement start, the mapping's from date, the
 *     subscription start or the first day of the product's base line (R13, generalised).</li>
 * <li>R16 net 0 deletes a not-invoiced delta line.</li>
 * <li>R17 (v2): unit prices are never prorated; R17a amounts — (days in period − day + 1) × unit
 *     amount / days in period, the effective day counting — are shown on every plan and written as
 *     proratePrice/prorateCost only under proration MARKETPLACE on an agreement that does not
 *     prorate. Rounding: scale max(currency minor unit, input scale), HALF_UP, once.</li>
 * <li>R18 splits the base (ends it, continues with the new quantity) unless it starts on the roll
 *     day; absorbs per product; carries the change into later stretches of the base.</li>
 * <li>R19 also on the purchase date; the new product's base is dated at the subscription end (as R25).</li>
 * <li>R22 (v2): invoiced = the line starts before the agreement's next invoice date (never
 *     billedQuantity); a subscription never invoiced at all is deleted on cancellation; otherwise
 *     lines that still bill before the termination are cancelled as R21 says, and lines with nothing
 *     left to bill are deleted (never invoiced) or offset (invoiced).</li>
 * <li>R23 (v2): a renewal moves the same base line's end, invoiced or not (a base opened before v2
 *     stays open); a renewed term starts at the current licences.</li>
 * <li>R24: usage lines are quantity 1 for SaaS too, sent whatever the price source.</li>
 * <li>R25 (v2): base lines are always dated at the subscription end; setup amount = one line,
 *     quantity 1, cost 0, first month only.</li>
 * <li>R26: an invoiced line only accepts a new end date (earlier, or later for a renewal); every
 *     other change goes on a new line (difference, continuation or offset).</li>
 * <li>R27 (v2, {@link io.cwbridge.rules.PlanBuilder}): on an agreement that does not prorate and
 *     invoice prorated additions, nothing starts, changes or ends before the next invoice date N;
 *     what a plan meant for the invoiced days becomes catch-up lines (kept by the bundle with the
 *     subscription's lines, never sent) and their amounts per period; month rolls due before N are
 *     done first; amounts of invoiced periods (usage, setup) bill once from N.</li>
 * <li>R31 overrides touch the lines a task creates and its updates other than an invoiced line's new
 *     end (R26: only the cancelled date); deletions stay as the rules decided; a date the agreement has
 *     invoiced since the override was set is not applied, and the plan says so (R27).</li>
 * </ul>
 */
package io.cwbridge.rules;
