package io.cwbridge.connectwise;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cwbridge.connectwise.model.Agreement;
import io.cwbridge.connectwise.model.AgreementAddition;
import io.cwbridge.connectwise.model.AgreementAdjustment;
import io.cwbridge.connectwise.model.CatalogItem;
import io.cwbridge.connectwise.model.Company;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The ConnectWise records the bundle reads, typed ({@code connectwise/model}): each answer of
 * {@link ConnectWiseClient} is turned into its record here, once. Additions are read by
 * {@link AgreementAdditions}. An answer that is not the record it should be is a
 * {@link ConnectWiseException} (UnexpectedResponse), like an answer that is no JSON.
 */
@Component
public class ConnectWiseResources {

    private final ConnectWiseClient client;
    private final ObjectMapper mapper;

    public ConnectWiseResources(ConnectWiseClient client, ObjectMapper mapper) {
        this.client = client;
        this.mapper = mapper;
    }

    public ConnectWiseClient client() {
        return client;
    }

    /** {@code finance/agreements/{id}}. */
    public Agreement agreement(ConnectWiseConnection c, long agreementId) {
        return as(client.get(c, "finance/agreements/" + agreementId, Map.of()), Agreement.class);
    }

    /** {@code finance/agreements} matching ConnectWise {@code conditions} (all when null), every page. */
    public List<Agreement> agreements(ConnectWiseConnection c, String conditions) {
        return all(client.getAll(c, "finance/agreements", conditions), Agreement.class);
    }

    /** {@code finance/agreements/{id}/adjustments} matching ConnectWise {@code conditions}, every page. */
    public List<AgreementAdjustment> adjustments(ConnectWiseConnection c, long agreementId, String conditions) {
        return all(client.getAll(c, "finance/agreements/" + agreementId + "/adjustments", conditions), AgreementAdjustment.class);
    }

    /** {@code company/companies/{id}}. */
    public Company company(ConnectWiseConnection c, long companyId) {
        return as(client.get(c, "company/companies/" + companyId, Map.of()), Company.class);
    }

    public List<Company> companies(ConnectWiseConnection c, String conditions) {
        return all(client.getAll(c, "company/companies", conditions), Company.class);
    }

    /** {@code procurement/catalog/{id}}. */
    public CatalogItem catalogItem(ConnectWiseConnection c, long catalogItemId) {
        return as(client.get(c, "procurement/catalog/" + catalogItemId, Map.of()), CatalogItem.class);
    }

    public List<CatalogItem> catalogItems(ConnectWiseConnection c, String conditions) {
        return all(client.getAll(c, "procurement/catalog", conditions), CatalogItem.class);
    }

    /** One ConnectWise answer (a read, or the record a create / PUT / PATCH answers with) as its record. */
    public <T> T as(JsonNode answer, Class<T> type) {
        try {
            return mapper.treeToValue(answer, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new ConnectWiseException(200, "UnexpectedResponse", "ConnectWise answered a record that is not a "
                    + type.getSimpleName(), List.of(), false);
        }
    }

    /** Every answer of a list as its record. */
    public <T> List<T> all(List<JsonNode> answers, Class<T> type) {
        return answers.stream().map(a -> as(a, type)).toList();
    }

    /** An addition as ConnectWise answered it ({@link AgreementAdditions} reads them). */
    public AgreementAddition addition(JsonNode answer) {
        return as(answer, AgreementAddition.class);
    }
}
