-- The bundle's copy of each subscription line as ConnectWise returned it from the bundle's own
-- write (POST / PATCH answer the whole addition) or its last read: the fields the addition rules
-- read. The sync plans from the copy and reads ConnectWise only for lines it would edit or delete,
-- lines with no copy (copied_at NULL), and copies taken under another next invoice date of the
-- agreement than it has now (copy_next_invoice). ConnectWise stays the source of truth.
-- Copies are stamped with copied_at, never updated_at: updated_at marks the bundle's writes
-- (TaskOperations, AgreementSnapshots compare against it).
ALTER TABLE subscription_line
    ADD COLUMN catalog_item_id     BIGINT,
    ADD COLUMN quantity            NUMERIC,
    ADD COLUMN unit_price          NUMERIC,
    ADD COLUMN unit_cost           NUMERIC,
    ADD COLUMN effective_date      DATE,
    ADD COLUMN cancelled_date      DATE,
    ADD COLUMN description         TEXT,
    ADD COLUMN invoice_description TEXT,
    ADD COLUMN copied_at           TIMESTAMPTZ,
    ADD COLUMN copy_next_invoice   DATE;
