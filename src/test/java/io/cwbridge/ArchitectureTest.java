package io.cwbridge;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.ArchConfiguration;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

/**
 * House rules on the package layering (issue 18), checked on the compiled main classes; plain JUnit,
 * no Spring context. Every package is its own slice ({@code tasks.store} apart from {@code tasks}), so
 * the layers read one way: web/api → domain services → stores → leaf value packages.
 */
class ArchitectureTest {

    private static final JavaClasses MAIN = importMainClasses();

    /**
     * The main classes' own folder (target/classes), not a scan of every jar on the classpath; the Camel and
     * Spring types they use are known by name, so they are not loaded either.
     */
    private static JavaClasses importMainClasses() {
        ArchConfiguration.get().setResolveMissingDependenciesFromClassPath(false);
        return new ClassFileImporter().importUrl(BundleApplication.class.getProtectionDomain().getCodeSource().getLocation());
    }

    @Test
    void noPackageCycles() {
        slices().matching("io.cwbridge.(**)").should().beFreeOfCycles().check(MAIN);
    }

    /** The rules are pure Java (house rule): no Camel or Spring type, so each is tested without either. */
    @Test
    void rulesDependOnNoCamelOrSpring() {
        noClasses().that().resideInAPackage("io.cwbridge.rules..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.camel..", "org.springframework..")
                .check(MAIN);
    }
}
