package io.cwbridge.mapping;

import io.cwbridge.sync.MappingChanged;
import static org.assertj.core.api.Assertions.assertThat;

import io.cwbridge.testsupport.BundleTestBase;
import io.cwbridge.testsupport.SandboxAdmin;
import io.cwbridge.testsupport.Tenant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * MappingChanged waits for the commit when the change runs inside a caller's transaction, and is
 * never published for a change that is rolled back. Calls the services on the test thread, where
 * {@code @RecordApplicationEvents} records what is published.
 */
@RecordApplicationEvents
class MappingChangedAfterCommitTest extends BundleTestBase {

    @LocalServerPort int port;
    @Autowired Environment env;
    @Autowired ApplicationEvents events;
    @Autowired TransactionTemplate transactions;
    @Autowired CustomerMappings customers;
    @Autowired SubscriptionMappings subscriptions;

    Tenant tenant;
    String partner;
    long company;

    @BeforeEach
    void setUp() {
        new SandboxAdmin(port, env).reset();
        tenant = Tenant.connected("evt", port);
        partner = tenant.partner();
        company = tenant.company("Chairs", "Chairs");
    }

    @Test
    void publishedOnlyAfterTheSurroundingTransactionCommits() {
        transactions.executeWithoutResult(status -> {
            customers.map(partner, "65533", new CustomerMappingRequest(company, null));
            assertThat(events.stream(MappingChanged.class)).as("not before the commit").isEmpty();
        });

        assertThat(events.stream(MappingChanged.class))
                .containsExactly(new MappingChanged(partner, MappingChanged.CUSTOMER, "65533", true));
    }

    @Test
    void notPublishedWhenTheChangeIsRolledBack() {
        customers.map(partner, "65533", new CustomerMappingRequest(company, null));
        events.clear();

        transactions.executeWithoutResult(status -> {
            customers.unmap(partner, "65533");
            status.setRollbackOnly();
        });

        assertThat(events.stream(MappingChanged.class)).isEmpty();
        assertThat(customers.find(partner, "65533").companyId()).isEqualTo(company);
    }

    @Test
    void withoutATransactionPublishedRightAfterTheStatement() {
        long agreement = tenant.agreement(company, "A", new Tenant.Terms("Cloud", null, null, null, null, null, null));

        subscriptions.map(partner, "sub-1", new SubscriptionMappingRequest(agreement, null));
        subscriptions.unmap(partner, "sub-1");

        assertThat(events.stream(MappingChanged.class)).containsExactly(
                new MappingChanged(partner, MappingChanged.SUBSCRIPTION, "sub-1", true),
                new MappingChanged(partner, MappingChanged.SUBSCRIPTION, "sub-1", false));
    }
}
