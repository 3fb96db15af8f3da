-- Issue 15 (R31): a person's values for one task before it syncs (seed 001: dates, description,
-- quantity, price, cost, bill / taxable, price source), with who set them and why. One row per task;
-- a DELETE clears it. Read and written only through tasks/TaskOverrideRepository.
CREATE TABLE task_override (
    task_id        BIGINT       PRIMARY KEY REFERENCES sync_task (task_id),
    effective_date DATE,
    cancelled_date DATE,
    description    VARCHAR(500),
    quantity       NUMERIC(12, 0),
    unit_price     NUMERIC(18, 2),
    unit_cost      NUMERIC(18, 2),
    bill_customer  VARCHAR(20),
    taxable_flag   BOOLEAN,
    price_source   VARCHAR(30),
    reason         TEXT         NOT NULL,
    set_by         VARCHAR(200) NOT NULL,
    set_at         TIMESTAMPTZ  NOT NULL DEFAULT now()
);

-- What a history row changed besides the status (an override set or cleared); null for status changes.
ALTER TABLE task_history ADD COLUMN what TEXT;

-- Issue 15 / seed 000: per mapped customer or product, the fields of the partner's rules the global
-- sync (R30) does not push for it. Stored as what is switched off, so the partner's rules stay the
-- upper bound: a field the rules leave off is never pushed. Owned by globalsync/MappingSyncFields.
CREATE TABLE mapping_sync_fields (
    partner_id  VARCHAR(100) NOT NULL,
    item_kind   VARCHAR(10)  NOT NULL CHECK (item_kind IN ('CUSTOMER', 'PRODUCT')),
    item_id     VARCHAR(200) NOT NULL,
    fields_off  TEXT[]       NOT NULL,
    updated_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_by  VARCHAR(200) NOT NULL,
    PRIMARY KEY (partner_id, item_kind, item_id)
);
