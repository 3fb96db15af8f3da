package io.cwbridge.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps docs/rules.md true: every rule id the code names has an entry there (so "R27" in a class
 * is one hop from what it means), every SPEC v2 rule id has one, and every file the page links
 * exists, and every method name it gives for a test exists. Plain file reading: no Spring.
 */
class RuleIndexTest {

    private static final Path INDEX = Path.of("docs/rules.md");
    private static final List<Path> CODE = List.of(Path.of("src/main/java"), Path.of("routes"));

    /** The rule ids SPEC version 2 defines (§3 R1–R8, §5 R10–R27 with R17a, §6 R30–R35). */
    private static final List<String> SPEC_V2_IDS = List.of(
            "R1", "R2", "R3", "R4", "R5", "R6", "R7", "R8",
            "R10", "R11", "R12", "R13", "R14", "R15", "R16", "R17", "R17a", "R18", "R19", "R20",
            "R21", "R22", "R23", "R24", "R25", "R26", "R27",
            "R30", "R31", "R32", "R33", "R34", "R35");

    /** A rule id as a word of its own: R27, R17a; not the R10 of InvariantR10. */
    private static final Pattern RULE_ID = Pattern.compile("(?<![A-Za-z0-9_])R(\\d+a?)(?![A-Za-z0-9_])");
    private static final Pattern ANCHOR = Pattern.compile("<a id=\"([^\"]+)\"></a>");
    private static final Pattern RULE_ANCHOR = Pattern.compile("r\\d+a?");
    private static final Pattern RULE_HEADING = Pattern.compile("^### (R\\d+a?) — \\S.*$");
    private static final Pattern INLINE_LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)\\)");
    /** `name` in backticks: a method name (lower camel case, nothing else in the backticks). */
    private static final Pattern TEST_METHOD = Pattern.compile("`([a-z][A-Za-z0-9_]*)`");
    /** `Class.member` in backticks. */
    private static final Pattern CLASS_MEMBER = Pattern.compile("`([A-Z][A-Za-z0-9_]*)\\.([A-Za-z_][A-Za-z0-9_]*)`");
    private static final Pattern REFERENCE_LINK = Pattern.compile("(?m)^\\s*\\[[^\\]]+\\]:\\s*(\\S+)");

    @Test
    void everyRuleIdNamedInTheCodeHasAnEntry() throws IOException {
        Map<String, String> named = ruleIdsInCode();
        assertThat(named).as("rule ids found in %s", CODE).isNotEmpty();
        Set<String> entries = entries().keySet();
        Map<String, String> missing = new TreeMap<>(Comparator.comparing(RuleIndexTest::order));
        named.forEach((id, where) -> {
            if (!entries.contains(id)) {
                missing.put(id, where);
            }
        });
        assertThat(missing).as("rule ids named in the code without an entry (<a id=\"rN\"></a> + ### RN — name) in %s; "
                + "first mention of each", INDEX).isEmpty();
    }

    @Test
    void everySpecRuleIdHasAnEntry() throws IOException {
        assertThat(entries().keySet()).as("entries of %s", INDEX).containsAll(SPEC_V2_IDS);
    }

    @Test
    void everyEntryIsAnAnchorWithItsHeadingAndSaysWhereOrThatItIsNotImplemented() throws IOException {
        List<String> lines = Files.readAllLines(INDEX, StandardCharsets.UTF_8);
        List<String> problems = new ArrayList<>();
        Set<String> anchors = new LinkedHashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher heading = RULE_HEADING.matcher(lines.get(i));
            if (lines.get(i).startsWith("### R") && !heading.matches()) {
                problems.add("line " + (i + 1) + ": a rule heading is \"### R<id> — name\": " + lines.get(i));
            }
            if (heading.matches()) {
                String before = i > 0 ? lines.get(i - 1) : "";
                String wanted = "<a id=\"" + heading.group(1).toLowerCase(java.util.Locale.ROOT) + "\"></a>";
                if (!before.equals(wanted)) {
                    problems.add("line " + (i + 1) + ": " + heading.group(1) + " needs " + wanted + " on the line before");
                }
            }
            Matcher anchor = ANCHOR.matcher(lines.get(i));
            while (anchor.find()) {
                if (!anchors.add(anchor.group(1))) {
                    problems.add("line " + (i + 1) + ": anchor " + anchor.group(1) + " appears twice");
                }
                if (RULE_ANCHOR.matcher(anchor.group(1)).matches()) {
                    String next = i + 1 < lines.size() ? lines.get(i + 1) : "";
                    Matcher h = RULE_HEADING.matcher(next);
                    if (!h.matches() || !h.group(1).equalsIgnoreCase(anchor.group(1))) {
                        problems.add("line " + (i + 1) + ": anchor " + anchor.group(1) + " is not followed by its \"### "
                                + anchor.group(1).toUpperCase(java.util.Locale.ROOT) + " — name\" heading");
                    }
                }
            }
        }
        entries().forEach((id, body) -> {
            boolean placed = body.contains("**Where") && body.contains("**Tested by:**");
            boolean notYet = body.contains("Not implemented yet");
            if (!placed && !notYet) {
                problems.add(id + ": an entry says **Where** and **Tested by:**, or \"Not implemented yet (issue …)\"");
            }
        });
        assertThat(problems).as("entries of %s", INDEX).isEmpty();
    }

    @Test
    void everyLinkedFileAndAnchorExists() throws IOException {
        String text = withoutFencedCode(Files.readString(INDEX, StandardCharsets.UTF_8));
        Set<String> anchors = new LinkedHashSet<>();
        Matcher a = ANCHOR.matcher(text);
        while (a.find()) {
            anchors.add(a.group(1));
        }
        List<String> targets = new ArrayList<>();
        for (Pattern p : List.of(INLINE_LINK, REFERENCE_LINK)) {
            Matcher m = p.matcher(text);
            while (m.find()) {
                targets.add(m.group(1));
            }
        }
        assertThat(targets).as("links in %s", INDEX).isNotEmpty();
        Path root = Path.of("").toAbsolutePath().normalize();
        List<String> broken = new ArrayList<>();
        for (String target : targets) {
            if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
                continue; // http:, https:, mailto: — not a file of this repository
            }
            int hash = target.indexOf('#');
            String file = hash < 0 ? target : target.substring(0, hash);
            String fragment = hash < 0 ? null : target.substring(hash + 1);
            if (file.isEmpty()) {
                if (!anchors.contains(fragment)) {
                    broken.add(target + " (no such anchor on this page)");
                }
                continue;
            }
            Path resolved = INDEX.toAbsolutePath().getParent().resolve(file).normalize();
            if (!resolved.startsWith(root)) {
                broken.add(target + " (outside the repository)");
            } else if (!Files.exists(resolved)) {
                broken.add(target + " (no such file: " + root.relativize(resolved) + ")");
            }
        }
        assertThat(broken).as("links of %s", INDEX).isEmpty();
    }

    /**
     * A method name the page gives for a test must be one: every `name` in backticks after a link to a
     * test class (up to the next link or bullet) is a method of that class, and every `Class.member`
     * in backticks names a member of that class where the class is a file of src/main or src/test.
     */
    @Test
    void everyMethodNamedForALinkedTestOrAClassExists() throws IOException {
        String text = withoutFencedCode(Files.readString(INDEX, StandardCharsets.UTF_8));
        Map<String, List<Path>> classes = new java.util.HashMap<>();
        for (Path dir : List.of(Path.of("src/main/java"), Path.of("src/test/java"))) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.filter(f -> f.toString().endsWith(".java")).forEach(f -> classes
                        .computeIfAbsent(f.getFileName().toString().replace(".java", ""), k -> new ArrayList<>()).add(f));
            }
        }
        List<String> missing = new ArrayList<>();
        int checked = 0;
        Matcher link = INLINE_LINK.matcher(text);
        List<int[]> links = new ArrayList<>();
        List<String> targets = new ArrayList<>();
        while (link.find()) {
            links.add(new int[] {link.start(), link.end()});
            targets.add(link.group(1));
        }
        for (int i = 0; i < links.size(); i++) {
            String target = targets.get(i);
            if (!target.startsWith("../src/test/java/") || !target.endsWith(".java")) {
                continue;
            }
            int from = links.get(i)[1];
            int to = i + 1 < links.size() ? links.get(i + 1)[0] : text.length();
            int bullet = text.indexOf("\n- ", from);
            int paragraph = text.indexOf("\n\n", from);
            for (int end : new int[] {bullet, paragraph}) {
                if (end >= 0 && end < to) {
                    to = end;
                }
            }
            String source = Files.readString(INDEX.toAbsolutePath().getParent().resolve(target).normalize(), StandardCharsets.UTF_8);
            Matcher name = TEST_METHOD.matcher(text.substring(from, to));
            while (name.find()) {
                checked++;
                if (!Pattern.compile("\\b" + name.group(1) + "\\s*\\(").matcher(source).find()) {
                    missing.add(target + ": no method " + name.group(1));
                }
            }
        }
        Matcher member = CLASS_MEMBER.matcher(text);
        while (member.find()) {
            List<Path> files = classes.getOrDefault(member.group(1), List.of());
            if (files.size() != 1) {
                continue; // not a class of this repository (or an ambiguous name): nothing to check
            }
            checked++;
            String source = Files.readString(files.get(0), StandardCharsets.UTF_8);
            if (!Pattern.compile("\\b" + member.group(2) + "\\b").matcher(source).find()) {
                missing.add(files.get(0) + ": no member " + member.group(2));
            }
        }
        assertThat(checked).as("method names checked in %s", INDEX).isPositive();
        assertThat(missing).as("method names %s gives that do not exist", INDEX).isEmpty();
    }

    /** Rule id → where it is first named ("path:line"), for every rule id in the code. */
    private static Map<String, String> ruleIdsInCode() throws IOException {
        Map<String, String> found = new TreeMap<>(Comparator.comparing(RuleIndexTest::order));
        for (Path dir : CODE) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                    List<String> lines;
                    try {
                        lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                    } catch (MalformedInputException binary) {
                        continue;
                    }
                    for (int i = 0; i < lines.size(); i++) {
                        Matcher m = RULE_ID.matcher(lines.get(i));
                        while (m.find()) {
                            found.putIfAbsent("R" + m.group(1), file + ":" + (i + 1));
                        }
                    }
                }
            }
        }
        return found;
    }

    /** Rule id → the text of its entry (from its anchor to the next anchor or section). */
    private static Map<String, String> entries() throws IOException {
        List<String> lines = Files.readAllLines(INDEX, StandardCharsets.UTF_8);
        Map<String, String> entries = new LinkedHashMap<>();
        String current = null;
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher anchor = ANCHOR.matcher(line);
            boolean boundary = anchor.find() || line.startsWith("## ") || line.equals("---");
            if (boundary && current != null) {
                entries.put(current, body.toString());
                current = null;
            }
            Matcher heading = RULE_HEADING.matcher(line);
            if (heading.matches() && i > 0 && lines.get(i - 1).equals(
                    "<a id=\"" + heading.group(1).toLowerCase(java.util.Locale.ROOT) + "\"></a>")) {
                current = heading.group(1);
                body.setLength(0);
            }
            if (current != null) {
                body.append(line).append('\n');
            }
        }
        if (current != null) {
            entries.put(current, body.toString());
        }
        return entries;
    }

    private static String withoutFencedCode(String markdown) {
        return markdown.replaceAll("(?ms)^```.*?^```[ \\t]*$", "");
    }

    /** R2 before R10, R17 before R17a before R18. */
    private static String order(String id) {
        Matcher m = Pattern.compile("R(\\d+)(a?)").matcher(id);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a rule id: " + id);
        }
        return String.format("%05d%s", Integer.parseInt(m.group(1)), m.group(2));
    }
}
