package io.cwbridge.rules;

import java.util.List;
import java.util.stream.Collectors;

/**
 * What the content-based router decided for one event (or one month roll): the addition operations
 * in the order they are to be performed, notes for the task log (why nothing happened, R26
 * explanations, discrepancies), and the catch-up amounts of changes into invoiced periods (R27).
 */
public record AdditionPlan(List<PlannedOperation> operations, List<String> notes, List<CatchUp> catchUps) {

    public AdditionPlan {
        operations = List.copyOf(operations);
        notes = List.copyOf(notes);
        catchUps = catchUps == null ? List.of() : List.copyOf(catchUps);
    }

    public AdditionPlan(List<PlannedOperation> operations, List<String> notes) {
        this(operations, notes, List.of());
    }

    public static AdditionPlan empty(String note) {
        return new AdditionPlan(List.of(), List.of(note));
    }

    public boolean isEmpty() {
        return operations.isEmpty();
    }

    public List<PlannedOperation> ofKind(PlannedOperation.Kind kind) {
        return operations.stream().filter(op -> op.kind() == kind).toList();
    }

    /** Both plans, this one first. */
    public AdditionPlan then(AdditionPlan next) {
        List<PlannedOperation> ops = new java.util.ArrayList<>(operations);
        ops.addAll(next.operations);
        List<String> all = new java.util.ArrayList<>(notes);
        all.addAll(next.notes);
        List<CatchUp> catchUpsToo = new java.util.ArrayList<>(catchUps);
        catchUpsToo.addAll(next.catchUps);
        return new AdditionPlan(ops, all, catchUpsToo);
    }

    @Override
    public String toString() {
        return operations.stream().map(PlannedOperation::toString).collect(Collectors.joining("\n", "", ""))
                + (notes.isEmpty() ? "" : "\nnotes: " + notes)
                + (catchUps.isEmpty() ? "" : "\ncatch-ups: " + catchUps);
    }
}
