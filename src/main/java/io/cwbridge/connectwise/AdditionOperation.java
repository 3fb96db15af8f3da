package io.cwbridge.connectwise;

import java.util.Objects;

/**
 * One change to an agreement addition, as the rules decide it and the sink delivers it.
 *
 * @param additionId  the addition to update or delete; null for CREATE
 */
public record AdditionOperation(Kind kind, long agreementId, Long additionId, AdditionFields fields) {

    public enum Kind { CREATE, UPDATE, DELETE }

    public AdditionOperation {
        Objects.requireNonNull(kind, "kind");
        if (kind != Kind.CREATE && additionId == null) {
            throw new IllegalArgumentException(kind + " needs the addition id");
        }
        if (kind != Kind.DELETE) {
            Objects.requireNonNull(fields, "fields");
        }
    }

    public static AdditionOperation create(long agreementId, AdditionFields fields) {
        return new AdditionOperation(Kind.CREATE, agreementId, null, fields);
    }

    public static AdditionOperation update(long agreementId, long additionId, AdditionFields fields) {
        return new AdditionOperation(Kind.UPDATE, agreementId, additionId, fields);
    }

    public static AdditionOperation delete(long agreementId, long additionId) {
        return new AdditionOperation(Kind.DELETE, agreementId, additionId, null);
    }

    String collectionPath() {
        return "finance/agreements/" + agreementId + "/additions";
    }

    String itemPath() {
        return collectionPath() + "/" + additionId;
    }
}
