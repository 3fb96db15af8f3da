package io.cwbridge;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * House rules on the package layering (issue 18), checked on the compiled main classes; plain JUnit,
 * no Spring context. Every package is its own slice ({@code tasks.store} apart from {@code tasks}), so
 * the layers read one way: web/api → domain services → stores → leaf value packages.
 */
class ArchitectureTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.cwbridge");

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
