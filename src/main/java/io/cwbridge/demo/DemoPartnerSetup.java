package io.cwbridge.demo;

import io.cwbridge.connectwise.ConnectWiseResources;
import io.cwbridge.connectwise.model.Agreement;
import io.cwbridge.connectwise.model.CatalogItem;
import io.cwbridge.connectwise.model.Company;
import io.cwbridge.connectwise.ConnectWiseClient;
import io.cwbridge.connectwise.ConnectWiseConnection;
import io.cwbridge.connectwise.ConnectWiseSettings;
import io.cwbridge.partner.ConnectionTestResult;
import io.cwbridge.partner.ConnectionTester;
import io.cwbridge.partner.PartnerConnectionRepository;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Default run only: points the demo partner at the local ConnectWise sandbox, loads the sample
 * tenant through the ConnectWise API (once; a restart finds it there), tests the connection and
 * prints what it did.
 */
@Component
@ConditionalOnProperty(name = {"cwbridge.demo.enabled", "cw-sandbox.enabled"}, havingValue = "true")
public class DemoPartnerSetup {

    private static final Logger log = LoggerFactory.getLogger(DemoPartnerSetup.class);

    private final DemoProperties demo;
    private final PartnerConnectionRepository connections;
    private final ConnectWiseClient client;
    private final ConnectWiseResources resources;
    private final ConnectionTester tester;
    private final ConnectWiseSettings settings;
    private final Environment env;

    public DemoPartnerSetup(DemoProperties demo, PartnerConnectionRepository connections, ConnectWiseResources resources,
                            ConnectionTester tester, ConnectWiseSettings settings, Environment env) {
        this.demo = demo;
        this.connections = connections;
        this.client = resources.client();
        this.resources = resources;
        this.tester = tester;
        this.settings = settings;
        this.env = env;
    }

    @EventListener
    public void onReady(ApplicationReadyEvent event) {
        int port = ((WebServerApplicationContext) event.getApplicationContext()).getWebServer().getPort();
        String site = "http://localhost:" + port + "/cw-sandbox";
        ConnectWiseConnection connection = new ConnectWiseConnection(site, settings.codebase(),
                env.getRequiredProperty("cw-sandbox.company-id"), env.getRequiredProperty("cw-sandbox.public-key"),
                env.getRequiredProperty("cw-sandbox.private-key"), env.getRequiredProperty("cw-sandbox.client-id"));
        // The port can differ between runs, so the demo connection is written on every start.
        connections.save(demo.partnerId(), connection);
        List<String> loaded = loadSampleTenant(connection);
        ConnectionTestResult test = tester.test(connection);
        connections.recordTest(demo.partnerId(), test.ok());

        StringBuilder banner = new StringBuilder("\n========== ConnectWise sync bundle: demo ready ==========\n");
        banner.append("Partner '").append(demo.partnerId()).append("' is connected to the local ConnectWise sandbox at ")
                .append(connection.baseUri()).append('\n');
        banner.append("Connection test: ").append(test.ok() ? "ok" : "FAILED").append(" – ").append(test.message()).append('\n');
        banner.append(loaded.isEmpty() ? "Sample tenant already present (kept from the previous run).\n"
                : "Sample tenant loaded through the ConnectWise API:\n  " + String.join("\n  ", loaded) + '\n');
        banner.append("Console:   http://localhost:").append(port).append("/ (overview, tasks, mapping, parked events, reconciliation, settings)\n");
        String logins = event.getApplicationContext().getBean(io.cwbridge.security.ConsoleProperties.class).loginHint();
        if (!logins.isEmpty()) banner.append("Log in:    ").append(logins).append('\n');
        banner.append("Workbench: http://localhost:").append(port).append("/workbench (mapping)\n");
        banner.append("API docs:  http://localhost:").append(port).append("/swagger-ui.html\n");
        banner.append("Hawtio:    http://localhost:").append(port).append("/actuator/hawtio/\n");
        banner.append("Sandbox:   http://localhost:").append(port).append("/cw-sandbox/admin/state\n");
        banner.append("==========================================================");
        log.info(banner.toString());
    }

    private List<String> loadSampleTenant(ConnectWiseConnection c) {
        if (client.count(c, "company/companies", "identifier=\"" + SampleData.CUSTOMERS.get(0).identifier() + "\"") > 0) {
            return List.of();
        }
        List<String> loaded = new ArrayList<>();
        for (SampleData.Product p : SampleData.PRODUCTS) {
            CatalogItem item = resources.as(client.create(c, "procurement/catalog", SampleData.catalogItem(p),
                    "identifier=\"" + p.identifier() + "\""), CatalogItem.class);
            loaded.add("catalog item " + item.id() + "  " + p.identifier() + "  " + p.description());
        }
        for (SampleData.Customer customer : SampleData.CUSTOMERS) {
            long companyId = resources.as(client.create(c, "company/companies", SampleData.company(customer),
                    "identifier=\"" + customer.identifier() + "\""), Company.class).id();
            Agreement agreement = resources.as(client.create(c, "finance/agreements", SampleData.agreement(customer, companyId),
                    "company/id=" + companyId), Agreement.class);
            loaded.add("company " + companyId + "  " + customer.name() + "  with monthly agreement " + agreement.id());
        }
        return loaded;
    }
}
