-- Issue 16: the names of the ConnectWise records the console shows next to their ids (company name,
-- catalog item identifier and description, agreement name, addition description). Filled whenever the
-- bundle reads those records for a person (candidate searches, agreement lists, addition candidates)
-- and, for ids a page lacks, by one batched read (conditions=id in (…)) per page: never a ConnectWise
-- call per row. name NULL: ConnectWise did not return the record (deleted, or never there).
-- Owner: io.cwbridge.mapping.ConnectWiseNames.
CREATE TABLE connectwise_name (
    partner_id   VARCHAR(100) NOT NULL,
    kind         VARCHAR(20)  NOT NULL,          -- COMPANY, CATALOG_ITEM, AGREEMENT, ADDITION
    record_id    BIGINT       NOT NULL,
    name         TEXT,                           -- company / agreement name, catalog identifier, addition description
    detail       TEXT,                           -- catalog item description, company identifier, addition's catalog item
    read_at      TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (partner_id, kind, record_id)
);
