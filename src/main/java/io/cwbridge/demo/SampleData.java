package io.cwbridge.demo;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * The demo tenant's records, in ConnectWise's own shapes, so loading them exercises the same
 * calls a script against a real tenant would make.
 */
final class SampleData {

    private SampleData() {}

    record Customer(String identifier, String name, String city, String state, String zip) {}

    record Product(String identifier, String description, String manufacturerPartNumber, BigDecimal price, BigDecimal cost) {}

    static final List<Customer> CUSTOMERS = List.of(
            new Customer("ChairsUnlimited", "Chairs Unlimited", "Tampa", "FL", "33601"),
            new Customer("ContosoDental", "Contoso Dental", "Austin", "TX", "73301"),
            new Customer("NorthwindTraders", "Northwind Traders", "Seattle", "WA", "98101"));

    static final List<Product> PRODUCTS = List.of(
            new Product("M365-BP", "Microsoft 365 Business Premium", "CFQ7TTC0LCHC:0002:P1", new BigDecimal("22.00"), new BigDecimal("18.70")),
            new Product("M365-E3", "Microsoft 365 E3", "CFQ7TTC0LFLZ:0001:P1", new BigDecimal("36.00"), new BigDecimal("30.60")),
            new Product("AZURE-PLAN", "Azure plan (usage)", "DZH318Z0BPS6:0001", new BigDecimal("0.00"), new BigDecimal("0.00")));

    static Map<String, Object> company(Customer c) {
        return Map.of("identifier", c.identifier(), "name", c.name(), "addressLine1", "1 Main St",
                "city", c.city(), "state", c.state(), "zip", c.zip());
    }

    static Map<String, Object> catalogItem(Product p) {
        return Map.of("identifier", p.identifier(), "description", p.description(),
                "customerDescription", p.description(), "subcategory", Map.of("name", "Cloud Licensing"),
                "category", Map.of("name", "Cloud Services"), "type", Map.of("name", "Subscription"),
                "manufacturer", Map.of("name", "Microsoft"), "manufacturerPartNumber", p.manufacturerPartNumber(),
                "price", p.price(), "cost", p.cost());
    }

    static Map<String, Object> agreement(Customer c, long companyId) {
        return Map.of("name", c.name() + " – Cloud Services", "type", Map.of("name", "Cloud Services"),
                "company", Map.of("id", companyId), "contact", Map.of("name", "Billing Contact"),
                "startDate", "2024-01-01T00:00:00Z", "billingCycle", Map.of("name", "Monthly"),
                "billStartDate", "2024-01-01T00:00:00Z", "prorateFlag", true, "currency", Map.of("currencyCode", "USD"),
                "agreementStatus", "Active");
    }
}
