-- R32 x R27: the billing reconciliation whose posted charges settled a catch-up (RESOLVED), so that a reject of that
-- post, which takes the charges back, lists the catch-up again instead of leaving its days billed by neither.
ALTER TABLE invoiced_catch_up ADD COLUMN settled_by_reconciliation BIGINT;
