package io.cwbridge.rules;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Accumulates a plan against a working copy of the lines, so each rule step sees the effect of the
 * previous ones: a change to a line created earlier in the same plan is folded into its CREATE, a
 * line created and deleted again disappears, and an existing line gets one UPDATE holding only the
 * fields that differ in the end.
 *
 * <p>It also owns what every plan must respect whatever rule made it: lines are judged invoiced by
 * the agreement's next invoice date (R22); on an agreement that cannot bill changes of invoiced
 * periods itself, nothing starts, changes or ends before that date and the part of the change that
 * falls before it becomes catch-up amounts (R27); and lines starting inside a billing period show
 * (and under R17a carry) their prorated amounts.
 */
final class PlanBuilder {

    private final long agreementId;
    private final PlanContext context;
    private final List<Entry> entries = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private int touches;

    private static final class Entry {
        final AdditionLine original;
        AdditionLine current;
        boolean deleted;
        int firstTouch = Integer.MAX_VALUE;
        final List<String> reasons = new ArrayList<>();

        Entry(AdditionLine original, AdditionLine current) {
            this.original = original;
            this.current = current;
        }

        boolean pending() {
            return original == null;
        }
    }

    PlanBuilder(long agreementId, Collection<AdditionLine> lines) {
        this(agreementId, lines, PlanContext.NONE);
    }

    /** R22 (v2): a line is invoiced when the agreement has invoiced its first day (or the caller knows it is). */
    PlanBuilder(long agreementId, Collection<AdditionLine> lines, PlanContext context) {
        this.agreementId = agreementId;
        this.context = context;
        for (AdditionLine line : lines) {
            AdditionLine judged = !line.invoiced() && context.billing().invoiced(line.effectiveDate()) ? line.asInvoiced() : line;
            entries.add(new Entry(judged, judged));
        }
    }

    /**
     * R18 x R10 x R30 (probe 58 F1): the quantity the bundle itself last wrote on each line, by addition id (its own
     * operations), where the caller knows it: the month roll carries an ended line's count as the bundle wrote it, not a
     * person's later hand edit of that past line (MonthRoll).
     */
    private final Map<Long, java.math.BigDecimal> writtenQuantities = new java.util.HashMap<>();

    void writtenQuantities(Map<Long, java.math.BigDecimal> written) {
        if (written != null) writtenQuantities.putAll(written);
    }

    /** The quantity the bundle last wrote on {@code line}, when known. */
    java.util.Optional<java.math.BigDecimal> writtenQuantity(AdditionLine line) {
        return line.additionId() == null ? java.util.Optional.empty()
                : java.util.Optional.ofNullable(writtenQuantities.get(line.additionId()));
    }

    private final Map<Long, MonthRoll.CurrentPrice> currentPrices = new java.util.HashMap<>();

    /**
     * R17 CONNECTWISE_CATALOG x R18 (probe 45 F4): the unit price / cost a new line of {@code price}'s catalog item takes
     * where the rules know the catalog item's current ones, instead of the line it continues (null: keep that one's).
     */
    void priceNewLines(MonthRoll.CurrentPrice price) {
        if (price != null && price.catalogItemId() != null) currentPrices.put(price.catalogItemId(), price);
    }

    /** {@code line} with its catalog item's current price and cost, where {@link #priceNewLines} gave them. */
    AdditionLine currentlyPriced(AdditionLine line) {
        MonthRoll.CurrentPrice price = line.catalogItemId() == null ? null : currentPrices.get(line.catalogItemId());
        if (price == null) return line;
        return line.withPrices(price.unitPrice() != null && line.unitPrice() != null ? price.unitPrice() : line.unitPrice(),
                price.unitCost() != null && line.unitCost() != null ? price.unitCost() : line.unitCost());
    }

    private final Map<Long, MonthRoll.CurrentPrice> unsyncedPrices = new java.util.HashMap<>();

    /**
     * R17 x SPEC 4 "sync unit price / cost" off (probe 45 F3, probe 48 P48-3): a new licence line that carries no unit price
     * (cost) because the bundle does not sync it gets its catalog item's, sent explicitly: ConnectWise's guide says a POST
     * sets what it does not require to null (unitPrice / unitCost are not required), so the line would bill 0; and R17a's
     * amounts are computed from the price the line bills.
     */
    void fillUnsyncedPrices(Map<Long, MonthRoll.CurrentPrice> prices) {
        if (prices != null) unsyncedPrices.putAll(prices);
    }

    private AdditionLine withUnsyncedPrices(AdditionLine line) {
        MonthRoll.CurrentPrice price = !line.countsLicences() || line.catalogItemId() == null ? null : unsyncedPrices.get(line.catalogItemId());
        if (price == null || (line.unitPrice() != null && line.unitCost() != null)) return line;
        return line.withPrices(line.unitPrice() == null ? price.unitPrice() : line.unitPrice(),
                line.unitCost() == null ? price.unitCost() : line.unitCost());
    }

    /** The working lines: the known ones with this plan's operations carried out. */
    SubscriptionLines view() {
        return SubscriptionLines.of(entries.stream().filter(e -> !e.deleted).map(e -> e.current).toList());
    }

    /** A key for a new line: revision 0, or the next one when the role and date are taken (R16/R26). */
    LineKey nextKey(String subscriptionId, LineRole role, LocalDate effectiveDate) {
        int revision = entries.stream()
                .map(e -> e.current.key())
                .filter(k -> k.subscriptionId().equals(subscriptionId) && k.role() == role && k.effectiveDate().equals(effectiveDate))
                .mapToInt(k -> k.revision() + 1)
                .max().orElse(0);
        return new LineKey(subscriptionId, role, effectiveDate, revision);
    }

    AdditionLine create(AdditionLine line, String reason) {
        if (line.additionId() != null || line.invoiced()) {
            throw new IllegalArgumentException("a new line has no addition id and is not invoiced");
        }
        boolean taken = entries.stream().anyMatch(e -> e.current.key().equals(line.key()));
        if (taken) {
            throw new IllegalStateException("line " + line.key() + " exists already");
        }
        Entry entry = new Entry(null, line);
        entries.add(entry);
        touch(entry, reason);
        return line;
    }

    AdditionLine update(AdditionLine line, UnaryOperator<AdditionLine> change, String reason) {
        Entry entry = entryOf(line);
        entry.current = change.apply(entry.current);
        touch(entry, reason);
        return entry.current;
    }

    void delete(AdditionLine line, String reason) {
        Entry entry = entryOf(line);
        entry.deleted = true;
        touch(entry, reason);
    }

    /** The lines this plan creates so far (their current fields). */
    List<AdditionLine> created() {
        return entries.stream().filter(e -> e.pending() && !e.deleted).map(e -> e.current).toList();
    }

    /**
     * The subscription's delta lines this plan created, changed or deleted so far, as they were and as they are (R18 ×
     * R10: {@link MonthRoll#rollIntoRolledBases}).
     */
    List<AdditionLine> touchedDeltas(String subscriptionId) {
        List<AdditionLine> result = new ArrayList<>();
        for (Entry e : touched()) {
            for (AdditionLine line : new AdditionLine[] {e.original, e.deleted ? null : e.current}) {
                if (line != null && line.role() == LineRole.DELTA && line.subscriptionId().equals(subscriptionId)
                        && !line.caughtUp() && !result.contains(line)) {
                    result.add(line);
                }
            }
        }
        return result;
    }

    /**
     * The lines this plan creates that {@code which} picks end no later than {@code cap}; one that would only start after
     * it is not created (R21's cancellation, R19's upgrade: nothing of them bills after that day).
     */
    void endCreatedBy(java.util.function.Predicate<AdditionLine> which, LocalDate cap, String notCreated, String ended) {
        for (AdditionLine line : created()) {
            if (!which.test(line)) continue;
            if (line.effectiveDate().isAfter(cap)) {
                delete(line, notCreated);
            } else if (line.cancelledDate() == null || line.cancelledDate().isAfter(cap)) {
                update(line, l -> l.withCancelledDate(cap), ended);
            }
        }
    }

    /**
     * R21: the subscription's known licence lines this plan moved the end of no longer run past {@code cap}, nor past
     * the end they had (a renewal of a cancelled subscription extends nothing beyond its cancellation).
     */
    void limitExtendedEnds(String subscriptionId, LocalDate cap, String reason) {
        for (Entry e : entries) {
            if (e.pending() || e.deleted || e.firstTouch == Integer.MAX_VALUE) continue;
            AdditionLine line = e.current;
            if (!line.subscriptionId().equals(subscriptionId) || !line.countsLicences()) continue;
            LocalDate was = e.original.cancelledDate();
            LocalDate limit = was == null || was.isBefore(cap) ? cap : was;
            if (limit.isBefore(line.effectiveDate())) continue;
            if (line.cancelledDate() == null || line.cancelledDate().isAfter(limit)) {
                e.current = line.withCancelledDate(limit);
                e.reasons.add(reason);
            }
        }
    }

    void note(String note) {
        notes.add(note);
    }

    AdditionPlan build() {
        LocalDate n = context.clampsBefore();
        List<AdditionLine> caughtUp = new ArrayList<>();
        if (n != null && !touched().isEmpty()) {
            keepOutOfInvoicedPeriods(n, caughtUp);
        }
        changedCatchUpLines(caughtUp);
        List<PlannedOperation> ops = new ArrayList<>();
        touched().stream().filter(e -> !e.current.caughtUp()).forEach(e -> toOperation(e, ops));
        return new AdditionPlan(ops, notes, catchUps(caughtUp));
    }

    /**
     * Catch-up lines are the bundle's record of invoiced days, not additions: a rule that ends or
     * takes one back (a cancellation netting what the days billed) changes that record by adding
     * the difference as further catch-up lines; nothing goes to ConnectWise.
     */
    private void changedCatchUpLines(List<AdditionLine> caughtUp) {
        LocalDate n = context.billing().nextInvoiceDate();
        for (Entry e : touched()) {
            if (e.pending() || !e.original.caughtUp() || (!e.deleted && e.current.equals(e.original))) {
                continue;
            }
            AdditionLine before = e.original;
            addVirtual(caughtUp, before, before.quantity().negate(), before.effectiveDate(), before.cancelledDate());
            if (e.deleted) {
                continue;
            }
            AdditionLine after = e.current;
            LocalDate lastInvoiced = n == null ? before.cancelledDate() : n.minusDays(1);
            LocalDate end = EffectiveDates.earliestEnd(after.cancelledDate(), lastInvoiced);
            if (!end.isBefore(after.effectiveDate())) {
                addVirtual(caughtUp, after, after.quantity(), after.effectiveDate(), end);
            }
            if (EffectiveDates.endsAfter(after.cancelledDate(), end)) {
                // moved past the invoiced days (a renewal of a line that was caught up): from then on a real line
                LocalDate from = end.plusDays(1);
                Entry continuation = new Entry(null, LineEdits.copy(after, nextKey(after.subscriptionId(), after.role(), from), from,
                        after.cancelledDate()).withQuantity(after.quantity()));
                continuation.firstTouch = touches++;
                continuation.reasons.addAll(e.reasons);
                continuation.reasons.add("R27 the line's invoiced days were caught up; it bills from " + from);
                entries.add(continuation);
            }
        }
    }

    /**
     * Catch-up lines: {@code quantity} licences of {@code template}'s role, chain and prices from..to,
     * one per billing period (a catch-up amount is per period).
     */
    private void addVirtual(List<AdditionLine> made, AdditionLine template, BigDecimal quantity, LocalDate from, LocalDate to) {
        if (quantity.signum() == 0) {
            return;
        }
        LocalDate day = from;
        while (!day.isAfter(to)) {
            LocalDate start = day;
            LocalDate end = EffectiveDates.earliestEnd(context.period(day).end(), to);
            int revision = java.util.stream.Stream.concat(entries.stream().map(e -> e.current.key()), made.stream().map(AdditionLine::key))
                    .filter(k -> k.subscriptionId().equals(template.subscriptionId()) && k.role() == template.role()
                            && k.effectiveDate().equals(start))
                    .mapToInt(k -> k.revision() + 1).max().orElse(0);
            made.add(new AdditionLine(null, new LineKey(template.subscriptionId(), template.role(), start, revision),
                    template.catalogItemId(), quantity, template.unitPrice(), template.unitCost(), start, end, true,
                    template.description(), null));
            day = end.plusDays(1);
        }
    }

    /** R27 amounts of the catch-up lines, per chain, billing period and price. */
    private List<CatchUp> catchUps(List<AdditionLine> caughtUp) {
        record Key(Chain chain, Proration.Period period, BigDecimal price, BigDecimal cost) {
        }
        Map<Key, List<AdditionLine>> pieces = new LinkedHashMap<>();
        for (AdditionLine line : caughtUp) {
            Key key = new Key(Chain.of(line), context.period(line.effectiveDate()),
                    line.unitPrice() != null ? line.unitPrice() : context.fallbackPrice(),
                    line.unitCost() != null ? line.unitCost() : context.fallbackCost());
            pieces.computeIfAbsent(key, k -> new ArrayList<>()).add(line);
        }
        List<CatchUp> result = new ArrayList<>();
        List<Key> keys = new ArrayList<>(pieces.keySet());
        keys.sort(Comparator.comparing((Key k) -> k.chain().subscriptionId()).thenComparing(k -> k.period().start()));
        keys.forEach(key -> {
            List<AdditionLine> lines = pieces.get(key);
            BigDecimal days = lines.stream()
                    .map(l -> l.quantity().multiply(BigDecimal.valueOf(java.time.temporal.ChronoUnit.DAYS.between(l.effectiveDate(),
                            l.cancelledDate()) + 1)))
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
            if (days.signum() == 0 && lines.stream().allMatch(l -> l.quantity().signum() == 0)) {
                return;
            }
            long periodDays = key.period().days();
            LocalDate from = lines.stream().map(AdditionLine::effectiveDate).min(LocalDate::compareTo).orElseThrow();
            LocalDate to = lines.stream().map(AdditionLine::cancelledDate).max(LocalDate::compareTo).orElseThrow();
            result.add(new CatchUp(key.chain().subscriptionId(), key.chain().catalogItemId(), key.period().start(), key.period().end(),
                    from, to, days, periodDays, key.price(), key.cost(), amount(days, key.price(), periodDays),
                    amount(days, key.cost(), periodDays),
                    "R27 " + (days.signum() > 0 ? "under-billed" : days.signum() < 0 ? "over-billed" : "rebalanced")
                            + " in the invoiced period " + key.period().start() + " to " + key.period().end() + ": "
                            + days.stripTrailingZeros().toPlainString() + " licence-days",
                    lines));
        });
        // a period's parts in the order of their days, so its last part (which takes the period's rounding) is its latest
        result.sort(Comparator.comparing(CatchUp::subscriptionId).thenComparing(CatchUp::periodStart).thenComparing(CatchUp::from));
        return roundedPerPeriod(result);
    }

    /**
     * R27 "per period": the parts of one chain's period (one per unit price, so each shows its own price) are rounded as
     * one amount: the period's total is Σ licence-days × unit price ÷ days in the period, rounded once, and its last
     * part takes what the rounding of the others leaves (-35.48 at 22.00 and -170.33 at 24.00 for a total of -205.81,
     * where rounding each part made -205.80). Price and cost alike.
     */
    private List<CatchUp> roundedPerPeriod(List<CatchUp> parts) {
        record Period(String subscriptionId, Long catalogItemId, LocalDate start) {
        }
        Map<Period, List<Integer>> byPeriod = new LinkedHashMap<>();
        for (int i = 0; i < parts.size(); i++) {
            CatchUp c = parts.get(i);
            byPeriod.computeIfAbsent(new Period(c.subscriptionId(), c.catalogItemId(), c.periodStart()), k -> new ArrayList<>()).add(i);
        }
        List<CatchUp> result = new ArrayList<>(parts);
        for (List<Integer> indices : byPeriod.values()) {
            if (indices.size() < 2) {
                continue;
            }
            List<CatchUp> group = indices.stream().map(parts::get).toList();
            BigDecimal amount = lastPart(group, CatchUp::unitPrice, CatchUp::amount);
            BigDecimal cost = lastPart(group, CatchUp::unitCost, CatchUp::costAmount);
            CatchUp last = group.get(group.size() - 1);
            BigDecimal total = amount == null ? null : group.subList(0, group.size() - 1).stream().map(CatchUp::amount)
                    .reduce(amount, BigDecimal::add);
            result.set(indices.get(indices.size() - 1), new CatchUp(last.subscriptionId(), last.catalogItemId(), last.periodStart(),
                    last.periodEnd(), last.from(), last.to(), last.licenceDays(), last.daysInPeriod(), last.unitPrice(),
                    last.unitCost(), amount, cost, last.reason() + (total == null ? "" : "; the period's catch-ups total "
                            + total.toPlainString() + ", rounded once"), last.lines()));
        }
        return result;
    }

    /** The last part's amount: the period's total rounded once, less the other parts' rounded amounts (null with a null unit). */
    private BigDecimal lastPart(List<CatchUp> group, java.util.function.Function<CatchUp, BigDecimal> unit,
            java.util.function.Function<CatchUp, BigDecimal> rounded) {
        if (group.stream().anyMatch(c -> unit.apply(c) == null || rounded.apply(c) == null)) {
            return rounded.apply(group.get(group.size() - 1));
        }
        int scale = group.stream().mapToInt(c -> rounded.apply(c).scale()).max().orElseThrow();
        BigDecimal exact = group.stream().map(c -> c.licenceDays().multiply(unit.apply(c))).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal total = exact.divide(BigDecimal.valueOf(group.get(0).daysInPeriod()), scale, RoundingMode.HALF_UP);
        return group.subList(0, group.size() - 1).stream().map(rounded).reduce(total, BigDecimal::subtract);
    }

    private List<Entry> touched() {
        return entries.stream()
                .filter(e -> e.firstTouch != Integer.MAX_VALUE)
                .sorted(Comparator.comparingInt(e -> e.firstTouch))
                .toList();
    }

    /** A licence chain: one subscription's lines of one product (R10 per product, R18 per product). */
    record Chain(String subscriptionId, Long catalogItemId) {
        static Chain of(AdditionLine line) {
            return new Chain(line.subscriptionId(), line.catalogItemId());
        }

        boolean holds(AdditionLine line) {
            return line.countsLicences() && line.subscriptionId().equals(subscriptionId)
                    && Objects.equals(line.catalogItemId(), catalogItemId);
        }
    }

    PlanContext context() {
        return context;
    }

    /** A working copy of other lines under the same agreement context, for projections (nothing is planned). */
    PlanBuilder projection(Collection<AdditionLine> lines) {
        return new PlanBuilder(agreementId, lines, context);
    }

    /**
     * R27 on an agreement that does not bill changes of invoiced periods itself: every line the plan
     * touches is kept to days from N on, so the invoiced days bill as they did; what the plan meant
     * for those days becomes catch-up lines (and their amounts), and what it meant from N on still
     * bills from N on. The catch-up lines stay with the subscription's lines, so every later rule
     * and month roll reads the invoiced days as they were meant to bill.
     */
    private void keepOutOfInvoicedPeriods(LocalDate n, List<AdditionLine> caughtUp) {
        // what the plan means for the invoiced days includes the month rolls due in them (R18)
        MonthRoll.roll(this, n);
        List<Entry> touched = touched().stream().filter(e -> !e.current.caughtUp()).toList();
        for (Entry e : touched) {
            invoicedDaysChanged(e.pending() ? null : e.original, e.deleted ? null : e.current, n, caughtUp);
        }
        for (Entry e : touched) {
            clamp(e, n);
        }
    }

    /**
     * What one line's change meant for the invoiced days: catch-up lines where the line as planned
     * ({@code after}) and the line as ConnectWise billed it ({@code before}) differ before N.
     */
    private void invoicedDaysChanged(AdditionLine before, AdditionLine after, LocalDate n, List<AdditionLine> caughtUp) {
        AdditionLine any = after != null ? after : before;
        if (any == null || !any.countsLicences()) {
            return;
        }
        LocalDate first = java.util.stream.Stream.of(before, after).filter(Objects::nonNull).map(AdditionLine::effectiveDate)
                .min(LocalDate::compareTo).orElseThrow();
        if (!first.isBefore(n)) {
            return;
        }
        // R27 x R17: a new delta line's invoiced days are priced day by day at what ConnectWise billed each of them, the
        // unit price of the base line of that day (a price change splits the base), not at the delta line's one price
        boolean pricedByTheBase = before == null && after.role() == LineRole.DELTA;
        LocalDate from = null;
        BigDecimal running = BigDecimal.ZERO;
        AdditionLine template = any;
        for (LocalDate day = first; !day.isAfter(n); day = day.plusDays(1)) {
            BigDecimal difference = BigDecimal.ZERO;
            AdditionLine priced = any;
            if (day.isBefore(n)) {
                BigDecimal planned = after != null && after.activeOn(day) ? after.quantity() : BigDecimal.ZERO;
                BigDecimal billed = before != null && before.activeOn(day) ? before.quantity() : BigDecimal.ZERO;
                difference = planned.subtract(billed);
                if (pricedByTheBase && difference.signum() != 0) {
                    priced = billedPriceOn(after, day);
                }
            }
            if (difference.compareTo(running) != 0 || (running.signum() != 0 && !samePrices(priced, template))) {
                if (running.signum() != 0) {
                    addVirtual(caughtUp, template, running, from, day.minusDays(1));
                }
                from = day;
                running = difference;
                template = priced;
            }
        }
    }

    /**
     * R27 x R17: {@code line} at the unit price and cost ConnectWise billed {@code day} at, those of its chain's base line
     * active that day (a real line before a caught-up one, the latest-starting one of several); its own where no base line
     * gives one.
     */
    private AdditionLine billedPriceOn(AdditionLine line, LocalDate day) {
        Chain chain = Chain.of(line);
        Optional<AdditionLine> base = entries.stream()
                .filter(e -> !e.pending())
                .map(e -> e.original)
                .filter(l -> l.role() == LineRole.BASE && chain.holds(l) && l.quantity().signum() > 0 && l.activeOn(day))
                .min(Comparator.comparing(AdditionLine::caughtUp)
                        .thenComparing(AdditionLine::effectiveDate, Comparator.reverseOrder()));
        if (base.isEmpty()) {
            return line;
        }
        return line.withPrices(base.get().unitPrice() != null ? base.get().unitPrice() : line.unitPrice(),
                base.get().unitCost() != null ? base.get().unitCost() : line.unitCost());
    }

    private static boolean samePrices(AdditionLine a, AdditionLine b) {
        return sameAmount(a.unitPrice(), b.unitPrice()) && sameAmount(a.unitCost(), b.unitCost());
    }

    private static boolean sameAmount(BigDecimal a, BigDecimal b) {
        return a == null ? b == null : b != null && a.compareTo(b) == 0;
    }

    /**
     * R16 × R27: a new delta line that R27 starts at N joins the delta line of its subscription and product already
     * there from N to the same end (an earlier change of the same effective date, kept out of the invoiced days the
     * same way): that line, never invoiced, takes the net quantity (deleted at a net of 0), so there is one delta line
     * per effective date; the invoiced days before N were caught up already.
     */
    private boolean mergedIntoTheLineFromN(Entry entry, LocalDate n, String why) {
        AdditionLine line = entry.current;
        if (line.role() != LineRole.DELTA) {
            return false;
        }
        Optional<Entry> fromN = entries.stream().filter(o -> o != entry && !o.deleted && !o.current.caughtUp()
                        && !o.current.invoiced() && o.current.role() == LineRole.DELTA
                        && o.current.subscriptionId().equals(line.subscriptionId())
                        && Objects.equals(o.current.catalogItemId(), line.catalogItemId()) && o.current.effectiveDate().equals(n)
                        && Objects.equals(o.current.cancelledDate(), line.cancelledDate()))
                .findFirst();
        if (fromN.isEmpty()) {
            return false;
        }
        Entry target = fromN.get();
        BigDecimal net = target.current.quantity().add(line.quantity());
        entry.deleted = true;
        String reason = why + ": R16 the delta line from " + n + " now nets " + LineDescriptions.signed(net);
        if (net.signum() == 0) {
            target.deleted = true;
            touch(target, reason + "; net change 0, line deleted");
        } else {
            target.current = target.current.withQuantity(net);
            touch(target, reason);
        }
        return true;
    }

    /** R27: one line kept to the days from N on (N − 1 for an end). */
    private void clamp(Entry entry, LocalDate n) {
        if (entry.deleted || entry.current.caughtUp()) {
            return;
        }
        AdditionLine line = entry.current;
        String why = "R27 the agreement has invoiced the days before " + n;
        if (entry.pending()) {
            if (!line.effectiveDate().isBefore(n)) {
                return;
            }
            if (!line.countsLicences()) {
                // an amount of an invoiced period (usage, setup) bills once on the next invoice; it keeps its key, which
                // names the period it bills (R24: a later correction of that period finds it, the usage of the period
                // N starts is another line; R32 / R34 count it in its own month)
                entry.current = LineEdits.copy(line, line.key(), n, n).withQuantity(line.quantity());
                entry.reasons.add(why + ": the amount of " + line.effectiveDate() + " to " + line.cancelledDate()
                        + " is billed once from " + n);
                return;
            }
            if (line.cancelledDate() != null && line.cancelledDate().isBefore(n)) {
                entry.deleted = true;
                entry.reasons.add(why + ": the line falls wholly into them, its amount is a catch-up");
                return;
            }
            if (mergedIntoTheLineFromN(entry, n, why)) {
                return;
            }
            entry.current = LineEdits.copy(line, nextKey(line.subscriptionId(), line.role(), n), n, line.cancelledDate())
                    .withQuantity(line.quantity());
            entry.reasons.add(why + ": starts " + n + " instead of " + line.effectiveDate() + ", the days before are a catch-up");
            return;
        }
        AdditionLine original = entry.original;
        if (!original.invoiced()) {
            if (line.effectiveDate().isBefore(n)) {
                if (line.cancelledDate() != null && line.cancelledDate().isBefore(n)) {
                    entry.deleted = true;
                    entry.reasons.add(why + ": the line would bill only invoiced days, deleted; the change is a catch-up");
                } else {
                    entry.current = withEffectiveDate(line, n);
                    entry.reasons.add(why + ": starts " + n + ", the days before are a catch-up");
                }
            }
            return;
        }
        LocalDate lastInvoiced = n.minusDays(1);
        LocalDate oldEnd = original.cancelledDate();
        LocalDate newEnd = line.cancelledDate();
        if (Objects.equals(oldEnd, newEnd)) {
            return;
        }
        boolean oldInside = oldEnd != null && oldEnd.isBefore(lastInvoiced);
        boolean newInside = newEnd != null && newEnd.isBefore(lastInvoiced);
        if (newInside) {
            LocalDate end = oldInside ? oldEnd : lastInvoiced;
            entry.current = line.withCancelledDate(end);
            entry.reasons.add(why + ": ends " + end + " instead of " + newEnd + ", the invoiced days after " + newEnd
                    + " are a credit catch-up");
        } else if (oldInside && newEnd != null && newEnd.isBefore(n)) {
            // moved later, but still inside the invoiced days: those days are a catch-up
            entry.current = line.withCancelledDate(oldEnd);
            entry.reasons.add(why + ": stays ended " + oldEnd + ", the invoiced days to " + newEnd + " are a catch-up");
        } else if (oldInside) {
            entry.current = line.withCancelledDate(oldEnd);
            Entry continuation = new Entry(null, LineEdits.copy(line, nextKey(line.subscriptionId(), line.role(), n), n, newEnd)
                    .withQuantity(line.quantity()));
            continuation.firstTouch = touches++;
            continuation.reasons.add(why + ": " + LineEdits.ref(original) + " ended " + oldEnd + " inside them, it continues from "
                    + n + (newEnd == null ? "" : " to " + newEnd) + "; the invoiced days between are a catch-up");
            entries.add(continuation);
        }
    }

    private static AdditionLine withEffectiveDate(AdditionLine line, LocalDate effective) {
        return new AdditionLine(line.additionId(), line.key(), line.catalogItemId(), line.quantity(), line.unitPrice(),
                line.unitCost(), effective, line.cancelledDate(), line.invoiced(), line.description(), line.invoiceDescription());
    }

    private BigDecimal amount(BigDecimal licenceDays, BigDecimal unit, long periodDays) {
        if (unit == null) {
            return null;
        }
        return licenceDays.multiply(unit).divide(BigDecimal.valueOf(periodDays), Proration.scaleFor(unit, context.currency()),
                RoundingMode.HALF_UP);
    }

    /**
     * Money keeps an explicit scale: a unit price or cost written to ConnectWise has at least the
     * currency's minor-unit decimals (22 → 22.00 for USD, 2200 stays 2200 for JPY), whatever scale the
     * event's JSON number came with.
     */
    private LineFields withCurrencyScale(LineFields fields) {
        if (fields == null || (fields.unitPrice() == null && fields.unitCost() == null)) {
            return fields;
        }
        return new LineFields(fields.catalogItemId(), fields.quantity(), currencyScale(fields.unitPrice()),
                currencyScale(fields.unitCost()), fields.effectiveDate(), fields.cancelledDate(), fields.clearCancelledDate(),
                fields.description(), fields.invoiceDescription(), fields.billCustomer(), fields.proratePrice(), fields.prorateCost(),
                fields.taxableFlag());
    }

    private BigDecimal currencyScale(BigDecimal amount) {
        // the amount's own scale, at least the currency's (a computed amount's scale is Proration's, R24 / R17a)
        return amount == null ? null : amount.setScale(Math.max(Proration.minorUnit(context.currency()), Math.max(amount.scale(), 0)));
    }

    private void toOperation(Entry entry, List<PlannedOperation> ops) {
        String reason = String.join("; ", entry.reasons);
        if (entry.pending()) {
            if (!entry.deleted) {
                AdditionLine created = withUnsyncedPrices(entry.current);
                ProratedAmounts prorated = prorated(created);
                LineFields fields = withCurrencyScale(LineFields.of(created));
                if (prorated != null && prorated.written()) {
                    fields = fields.withProrate(prorated.price(), prorated.cost());
                }
                ops.add(new PlannedOperation(PlannedOperation.Kind.CREATE, entry.current.key(), agreementId, null, fields, reason,
                        prorated));
            }
            return;
        }
        Long id = entry.original.additionId();
        if (entry.deleted) {
            requireId(entry, id);
            if (entry.original.invoiced()) {
                throw new IllegalStateException("R26: invoiced line " + entry.original.key() + " cannot be deleted");
            }
            ops.add(new PlannedOperation(PlannedOperation.Kind.DELETE, entry.original.key(), agreementId, id, null, reason));
            return;
        }
        LineFields diff = LineFields.diff(entry.original, entry.current);
        if (diff == null) {
            return;
        }
        requireId(entry, id);
        if (entry.original.invoiced() && !onlyChangesCancelledDate(diff)) {
            throw new IllegalStateException("R26: invoiced line " + entry.original.key() + " only accepts a new end, not " + diff);
        }
        diff = withCurrencyScale(diff);
        ProratedAmounts prorated = diff.effectiveDate() != null || diff.unitPrice() != null || diff.unitCost() != null
                ? prorated(entry.current) : null;
        if (prorated == null && diff.effectiveDate() == null && diff.unitPrice() == null && diff.unitCost() == null
                && !entry.original.invoiced() && (diff.cancelledDate() != null || diff.clearCancelledDate())) {
            // R17a: a new end inside the line's first period changes what that period bills (probe 45 F2, F5)
            prorated = reprorated(entry.original, entry.current);
        }
        if (prorated != null && prorated.written() && !entry.original.invoiced()) {
            diff = diff.withProrate(prorated.price(), prorated.cost());
        }
        ops.add(new PlannedOperation(PlannedOperation.Kind.UPDATE, entry.original.key(), agreementId, id, diff, reason, prorated));
    }

    /**
     * R17a: per unit, what a licence line active for part of its first billing period bills for that period: (days from
     * its effective date to min(its cancelled date, the period's end), inclusive) × unit price (cost) / days in period
     * (SPEC's (days in period − day of the effective date + 1) for a line running to the period's end). Null when it is
     * active the whole period.
     */
    private ProratedAmounts prorated(AdditionLine line) {
        if (!line.countsLicences()) {
            return null;
        }
        Proration.Period period = context.period(line.effectiveDate());
        long active = Proration.activeDays(line.effectiveDate(), line.cancelledDate(), period);
        if (active == period.days()) {
            return null;
        }
        return amounts(line, period, active);
    }

    /**
     * R17a, probe 45 F2 / F5: the line's end moved. When that changes the days it is active in its first period (a price
     * change or an R18 roll ending it inside the period, a renewal moving an end out of it), the amounts for its new days,
     * written in the same PATCH as the new end; null when its first period bills as before. A line now active the whole
     * period bills the full unit price (cost) there.
     */
    private ProratedAmounts reprorated(AdditionLine original, AdditionLine current) {
        if (!current.countsLicences()) {
            return null;
        }
        Proration.Period period = context.period(current.effectiveDate());
        long before = Proration.activeDays(original.effectiveDate(), original.cancelledDate(), period);
        long now = Proration.activeDays(current.effectiveDate(), current.cancelledDate(), period);
        return before == now ? null : amounts(current, period, now);
    }

    private ProratedAmounts amounts(AdditionLine line, Proration.Period period, long active) {
        return new ProratedAmounts(period.start(), period.end(), active, period.days(),
                Proration.prorate(line.unitPrice(), line.effectiveDate(), line.cancelledDate(), period, context.currency()),
                Proration.prorate(line.unitCost(), line.effectiveDate(), line.cancelledDate(), period, context.currency()),
                context.writesProrate() && (line.unitPrice() != null || line.unitCost() != null));
    }

    /**
     * R26: the one edit an invoiced line takes is a new end: earlier ("end-date + new line") or later
     * (R23 v2, a renewal moves the same line's end).
     */
    static boolean onlyChangesCancelledDate(LineFields diff) {
        boolean onlyCancelled = diff.catalogItemId() == null && diff.quantity() == null && diff.unitPrice() == null
                && diff.unitCost() == null && diff.effectiveDate() == null && !diff.clearCancelledDate()
                && diff.description() == null && diff.invoiceDescription() == null && diff.billCustomer() == null
                && diff.proratePrice() == null && diff.prorateCost() == null && diff.taxableFlag() == null;
        return onlyCancelled && diff.cancelledDate() != null;
    }

    private static void requireId(Entry entry, Long id) {
        if (id == null) {
            throw new IllegalStateException("line " + entry.original.key() + " has no addition id to change");
        }
    }

    private void touch(Entry entry, String reason) {
        if (entry.firstTouch == Integer.MAX_VALUE) {
            entry.firstTouch = touches++;
        }
        if (reason != null && !reason.isBlank() && !entry.reasons.contains(reason)) {
            entry.reasons.add(reason);
        }
    }

    private Entry entryOf(AdditionLine line) {
        for (Entry entry : entries) {
            if (!entry.deleted && entry.current == line) {
                return entry;
            }
        }
        throw new IllegalArgumentException("not a current working line: " + line.key());
    }
}
