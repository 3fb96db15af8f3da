package io.cwbridge.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.cwbridge.connectwise.AdditionDelivery.DeliveryResult;
import io.cwbridge.connectwise.AdditionFields;
import io.cwbridge.connectwise.AdditionOperation;
import io.cwbridge.connectwise.ConnectWiseClient;
import io.cwbridge.connectwise.ConnectWiseConnection;
import io.cwbridge.connectwise.ConnectWiseException;
import io.cwbridge.partner.PartnerConnectionRepository;
import io.cwbridge.testsupport.BundleTestBase;
import io.cwbridge.testsupport.SandboxAdmin;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Map;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;

/** Route connectwise-deliver → Kamelet connectwise-agreement-addition-sink → sandbox over HTTP. */
class ConnectWiseDeliverRouteTest extends BundleTestBase {

    @LocalServerPort int port;
    @Autowired Environment env;
    @Autowired ProducerTemplate producer;
    @Autowired ConnectWiseClient client;
    @Autowired PartnerConnectionRepository connections;

    SandboxAdmin sandbox;
    ConnectWiseConnection cw;
    long agreement;
    long product;

    @BeforeEach
    void setUp() {
        sandbox = new SandboxAdmin(port, env);
        sandbox.reset();
        cw = sandbox.connection();
        connections.save("route-partner", cw);
        io.cwbridge.testsupport.ContosoAgreement contoso = io.cwbridge.testsupport.ContosoAgreement.create(client, cw, "M365-E3", "M365 E3");
        product = contoso.product();
        agreement = contoso.agreement();
    }

    private DeliveryResult deliver(AdditionOperation operation) {
        return producer.requestBodyAndHeader("direct:connectwise-deliver", operation, "partnerId", "route-partner",
                DeliveryResult.class);
    }

    @Test
    void createsUpdatesAndDeletesAnAddition() {
        AdditionFields base = new AdditionFields(product, new BigDecimal("10"), new BigDecimal("36.00"), new BigDecimal("30.60"),
                LocalDate.of(2024, 2, 1), null, false, "M365 E3 sub-42", null, null);

        Exchange created = producer.request("direct:connectwise-deliver", e -> {
            e.getMessage().setBody(AdditionOperation.create(agreement, base));
            e.getMessage().setHeader("partnerId", "route-partner");
        });
        long id = created.getMessage().getHeader("CwAdditionId", Long.class);
        assertThat(id).isPositive();

        DeliveryResult updated = deliver(AdditionOperation.update(agreement, id,
                new AdditionFields(null, new BigDecimal("12"), null, null, null, null, false, null, null, null)));
        assertThat(updated.addition().path("quantity").decimalValue()).isEqualByComparingTo("12");

        JsonNode stored = client.get(cw, "finance/agreements/" + agreement + "/additions/" + id, Map.of());
        assertThat(stored.path("description").asText()).isEqualTo("M365 E3 sub-42");
        assertThat(stored.path("effectiveDate").asText()).startsWith("2024-02-01");

        deliver(AdditionOperation.delete(agreement, id));
        assertThat(client.count(cw, "finance/agreements/" + agreement + "/additions", null)).isZero();
    }

    @Test
    void thePartnerIdComesFromTheHeaderPropertyPartnerHeaderNames() {
        // issue 14: the sink's steps bind their parameters by annotation, so the Kamelet puts the header its property names
        // into a variable first; another name than the default (partnerId) still reaches the partner's connection
        String sink = "kamelet:connectwise-agreement-addition-sink?partnerHeader=tenantId";
        AdditionFields fields = new AdditionFields(product, new BigDecimal("3"), new BigDecimal("36.00"), new BigDecimal("30.60"),
                LocalDate.of(2024, 2, 1), null, false, "M365 E3 by tenantId", null, null);
        DeliveryResult created = producer.requestBodyAndHeader(sink, AdditionOperation.create(agreement, fields), "tenantId",
                "route-partner", DeliveryResult.class);
        assertThat(created.addition().path("description").asText()).isEqualTo("M365 E3 by tenantId");
        assertThat(client.count(cw, "finance/agreements/" + agreement + "/additions", null)).isEqualTo(1);

        // the default header alone is not the one this instance reads
        assertThatThrownBy(() -> producer.requestBodyAndHeader(sink, AdditionOperation.delete(agreement, created.additionId()),
                "partnerId", "route-partner"))
                .isInstanceOf(CamelExecutionException.class)
                .cause().isInstanceOf(IllegalArgumentException.class).hasMessageContaining("the partner id is missing");
        assertThat(client.count(cw, "finance/agreements/" + agreement + "/additions", null)).isEqualTo(1);
    }

    @Test
    void refusalFailsTheExchangeWithConnectWisesMessage() {
        AdditionFields tooEarly = new AdditionFields(product, BigDecimal.ONE, BigDecimal.TEN, BigDecimal.ONE,
                LocalDate.of(2023, 12, 1), null, false, "before the agreement", null, null);

        assertThatThrownBy(() -> deliver(AdditionOperation.create(agreement, tooEarly)))
                .isInstanceOf(CamelExecutionException.class)
                .cause().isInstanceOfSatisfying(ConnectWiseException.class,
                        e -> assertThat(e.describe()).contains("effectiveDate cannot be less than the agreement billing start date"));
    }
}
