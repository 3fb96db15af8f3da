-- R32 v2 x R30: the global sync reads each subscription's latest final reseller cost (ReconciliationRepository.finalUnitCosts)
-- on every run; the written final costs are a small part of the reconciliation's operations.
CREATE INDEX reconciliation_operation_final_cost ON reconciliation_operation (reconciliation_id)
    WHERE kind = 'FINAL_UNIT_COST' AND status = 'DONE';
