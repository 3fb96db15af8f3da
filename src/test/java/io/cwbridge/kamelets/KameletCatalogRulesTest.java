package io.cwbridge.kamelets;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.yaml.snakeyaml.Yaml;

/**
 * Checks every Kamelet in {@code kamelets/} against the rules the Apache Kamelet catalog's
 * validator applies: naming, type label, documented properties, secrets marked as credentials,
 * and placeholders that match the declared properties.
 */
class KameletCatalogRulesTest {

    private static final Path DIR = Path.of("kamelets");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(\\??)([A-Za-z0-9_.-]+)}}");
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(password|secret|privatekey|token|apikey).*");

    @TestFactory
    Stream<DynamicTest> everyKameletFollowsTheCatalogRules() throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(DIR)) {
            files = list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files).as("kamelets/ holds Kamelets").isNotEmpty();
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> check(f)));
    }

    @SuppressWarnings("unchecked")
    private static void check(Path file) throws IOException {
        String text = Files.readString(file);
        Map<String, Object> kamelet = new Yaml().load(text);
        List<String> problems = new ArrayList<>();

        Map<String, Object> metadata = (Map<String, Object>) kamelet.get("metadata");
        String name = (String) metadata.get("name");
        if (!"camel.apache.org/v1".equals(kamelet.get("apiVersion"))) problems.add("apiVersion must be camel.apache.org/v1");
        if (!"Kamelet".equals(kamelet.get("kind"))) problems.add("kind must be Kamelet");
        if (!file.getFileName().toString().equals(name + ".kamelet.yaml")) problems.add("file must be named " + name + ".kamelet.yaml");

        Matcher suffix = Pattern.compile(".*-(source|sink|action)$").matcher(name);
        Map<String, Object> labels = (Map<String, Object>) metadata.getOrDefault("labels", Map.of());
        if (!suffix.matches()) {
            problems.add("name must end in -source, -sink or -action");
        } else if (!suffix.group(1).equals(labels.get("camel.apache.org/kamelet.type"))) {
            problems.add("label camel.apache.org/kamelet.type must be " + suffix.group(1));
        }
        Map<String, Object> annotations = (Map<String, Object>) metadata.getOrDefault("annotations", Map.of());
        for (String a : List.of("camel.apache.org/kamelet.icon", "camel.apache.org/kamelet.support.level",
                "camel.apache.org/provider", "camel.apache.org/catalog.version")) {
            if (!annotations.containsKey(a)) problems.add("missing annotation " + a);
        }

        Map<String, Object> spec = (Map<String, Object>) kamelet.get("spec");
        Map<String, Object> definition = (Map<String, Object>) spec.get("definition");
        for (String field : List.of("title", "description", "type")) {
            if (blank(definition.get(field))) problems.add("definition needs " + field);
        }
        Map<String, Map<String, Object>> properties =
                (Map<String, Map<String, Object>>) definition.getOrDefault("properties", Map.of());
        Set<String> required = new HashSet<>((List<String>) definition.getOrDefault("required", List.of()));
        for (String r : required) {
            if (!properties.containsKey(r)) problems.add("required property " + r + " is not defined");
        }
        properties.forEach((prop, def) -> {
            for (String field : List.of("title", "description", "type")) {
                if (blank(def.get(field))) problems.add("property " + prop + " needs " + field);
            }
            boolean password = "password".equals(def.get("format"));
            if (SECRET_NAME.matcher(prop).matches() && !password) problems.add("secret property " + prop + " needs format: password");
            if (password && !((List<String>) def.getOrDefault("x-descriptors", List.of())).contains("urn:camel:group:credentials")) {
                problems.add("secret property " + prop + " needs x-descriptors [urn:camel:group:credentials]");
            }
        });

        String template = new Yaml().dump(spec.get("template"));
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) {
            String prop = m.group(2);
            Map<String, Object> def = properties.get(prop);
            if (def == null) {
                problems.add("template uses undefined property " + prop);
            } else if (m.group(1).isEmpty() && !required.contains(prop) && !def.containsKey("default")) {
                problems.add("optional property " + prop + " must be used as {{?" + prop + "}}");
            }
        }
        String kind = suffix.matches() ? suffix.group(1) : "";
        if ((kind.equals("sink") || kind.equals("action")) && !template.contains("kamelet:source")) {
            problems.add(kind + " must start from kamelet:source");
        }
        if ((kind.equals("source") || kind.equals("action")) && !template.contains("kamelet:sink")) {
            problems.add(kind + " must end in kamelet:sink");
        }
        assertThat(problems).as(file.toString()).isEmpty();
    }

    private static boolean blank(Object value) {
        return value == null || value.toString().isBlank();
    }
}
