package io.cwbridge.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ApiRouteTest {

    @ParameterizedTest
    @CsvSource({
            "GET, system/info, SYSTEM_INFO, /system/info",
            "GET, company/companies, LIST, /company/companies",
            "POST, company/companies, CREATE, /company/companies",
            "GET, company/companies/count, COUNT, /company/companies/count",
            "GET, company/companies/7, GET, /company/companies/{id}",
            "PUT, procurement/catalog/7, REPLACE, /procurement/catalog/{id}",
            "PATCH, finance/agreements/7, PATCH, /finance/agreements/{id}",
            "DELETE, finance/agreements/7, DELETE, /finance/agreements/{id}",
            "GET, finance/agreements/5/additions, LIST, /finance/agreements/{parentId}/additions",
            "POST, finance/agreements/5/additions, CREATE, /finance/agreements/{parentId}/additions",
            "GET, finance/agreements/5/additions/count, COUNT, /finance/agreements/{parentId}/additions/count",
            "PATCH, finance/agreements/5/additions/12, PATCH, /finance/agreements/{parentId}/additions/{id}",
            "GET, finance/agreements/5/adjustments, LIST, /finance/agreements/{parentId}/adjustments",
            "POST, finance/agreements/5/adjustments, CREATE, /finance/agreements/{parentId}/adjustments",
            "GET, finance/agreements/5/adjustments/count, COUNT, /finance/agreements/{parentId}/adjustments/count",
            "DELETE, finance/agreements/5/adjustments/3, DELETE, /finance/agreements/{parentId}/adjustments/{id}",
            "GET, finance/invoices, LIST, /finance/invoices",
            "GET, finance/invoices/count, COUNT, /finance/invoices/count",
            "GET, finance/invoices/4, GET, /finance/invoices/{id}",
            "GET, finance/agreementrecap, LIST, /finance/agreementrecap",
            "GET, finance/agreementrecap/5, GET, /finance/agreementrecap/{id}"})
    void resolvesEndpointsToTheirTemplates(String method, String path, ApiRoute.Action action, String template) {
        ApiRoute route = ApiRoute.resolve(method, path).orElseThrow();
        assertThat(route.action()).isEqualTo(action);
        assertThat(route.template()).isEqualTo(template);
    }

    @org.junit.jupiter.api.Test
    void readsParentAndRecordIds() {
        ApiRoute route = ApiRoute.resolve("GET", "finance/agreements/5/additions/12").orElseThrow();
        assertThat(route.resource()).isEqualTo(Resource.ADDITION);
        assertThat(route.parentId()).isEqualTo(5);
        assertThat(route.id()).isEqualTo(12);
    }

    @ParameterizedTest
    @CsvSource({
            "DELETE, company/companies",
            "POST, system/info",
            "GET, service/tickets",
            "GET, company/companies/abc",
            "GET, company/companies/7/notes",
            "GET, finance/agreements/x/additions",
            "GET, finance/agreements/5/additions/12/x",
            "GET, company/companies/99999999999",
            "POST, finance/invoices",
            "PATCH, finance/invoices/4",
            "DELETE, finance/invoices/4",
            "POST, finance/agreementrecap",
            "GET, finance/agreementrecap/count",
            "GET, finance/agreements/5/notes"})
    void knowsWhichEndpointsDoNotExist(String method, String path) {
        assertThat(ApiRoute.resolve(method, path)).as(method + " " + path).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/cw-sandbox/v4_6_release/apis/3.0/system/info", "/cw-sandbox/v2025_1/apis/3.0/system/info",
            "/cw-sandbox/v2025_1_release/apis/3.0/system/info/"})
    void acceptsReleaseCodebases(String uri) {
        assertThat(ApiRoute.relativePath(uri)).contains("system/info");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/cw-sandbox/release/apis/3.0/system/info", "/cw-sandbox/v4_6_release/apis/2.0/system/info",
            "/cw-sandbox/v4_6_release", "/other/v4_6_release/apis/3.0/system/info"})
    void refusesOtherPrefixes(String uri) {
        assertThat(ApiRoute.relativePath(uri)).isEmpty();
    }
}
