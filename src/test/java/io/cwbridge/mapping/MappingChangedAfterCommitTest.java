package io.cwbridge.mapping;

import io.cwbridge.sync.MappingChanged;
import static org.assertj.core.api.Assertions.assertThat;

import io.cwbridge.connectwise.ConnectWiseClient;
import io.cwbridge.partner.PartnerConnectionRepository;
import io.cwbridge.testsupport.BundleTestBase;
import io.cwbridge.testsupport.SandboxAdmin;
import java.util.Map;
import java.util.UUID;
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
    @Autowired PartnerConnectionRepository connections;
    @Autowired ConnectWiseClient client;

    String partner;
    long company;

    @BeforeEach
    void setUp() {
        SandboxAdmin sandbox = new SandboxAdmin(port, env);
        sandbox.reset();
        partner = "evt-" + UUID.randomUUID().toString().substring(0, 8);
        connections.save(partner, sandbox.connection());
        company = client.create(sandbox.connection(), "company/companies", Map.of("identifier", "Chairs", "name", "Chairs"), null)
                .path("id").asLong();
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
        long agreement = client.create(new SandboxAdmin(port, env).connection(), "finance/agreements", Map.of("name", "A",
                "type", Map.of("name", "Cloud"), "company", Map.of("id", company), "contact", Map.of("name", "Billing")), null)
                .path("id").asLong();

        subscriptions.map(partner, "sub-1", new SubscriptionMappingRequest(agreement, null));
        subscriptions.unmap(partner, "sub-1");

        assertThat(events.stream(MappingChanged.class)).containsExactly(
                new MappingChanged(partner, MappingChanged.SUBSCRIPTION, "sub-1", true),
                new MappingChanged(partner, MappingChanged.SUBSCRIPTION, "sub-1", false));
    }
}
