package io.cwbridge.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.cwbridge.connectwise.AdditionFields;
import io.cwbridge.connectwise.AdditionOperation;
import io.cwbridge.sync.OperationLedger;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Issue 13: a second create recorded for a line key another addition holds (two plans made from the same
 * lines) used to overwrite the first addition's id, so the bundle lost track of an addition that is in
 * ConnectWise. Both are kept now, and recording the same create again changes nothing.
 */
class OperationLedgerConflictTest extends FaultsContext {

    @Autowired OperationLedger ledger;
    @Autowired JdbcTemplate jdbc;

    @Test
    void aLineKeyHeldByAnotherAdditionKeepsBothAndARepeatIsHarmless() {
        String partner = "ledger-" + UUID.randomUUID().toString().substring(0, 8);
        String sub = partner + "-sub";
        String key = sub + "/DELTA/2024-03-05";
        AdditionOperation create = AdditionOperation.create(7, new AdditionFields(1L, BigDecimal.ONE, null, null,
                LocalDate.of(2024, 3, 5), LocalDate.of(2024, 3, 31), false, "delta", null, null));

        ledger.recordLine(partner, sub, key, create, 101, 1L);
        ledger.recordLine(partner, sub, key, create, 102, 2L);
        ledger.recordLine(partner, sub, key, create, 102, 2L); // the same create recorded again (a redelivery)
        ledger.recordLine(partner, sub, key, create, 101, 1L);

        List<String> lines = jdbc.queryForList("SELECT line_key || '=' || addition_id FROM subscription_line WHERE partner_id = ? "
                + "ORDER BY line_key", String.class, partner);
        assertThat(lines).containsExactly(key + "=101", key + "#1=102");
    }
}
