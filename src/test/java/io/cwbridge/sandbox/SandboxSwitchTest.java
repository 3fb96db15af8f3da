package io.cwbridge.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;

/** With {@code cw-sandbox.enabled=false} (the prod profile) nothing of the sandbox exists, controllers included. */
class SandboxSwitchTest {

    @Configuration
    @ComponentScan(basePackageClasses = SandboxConfiguration.class)
    static class ScanSandboxPackage {}

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withUserConfiguration(ScanSandboxPackage.class)
            .withBean(DataSource.class, () -> Mockito.mock(DataSource.class));

    @Test
    void disabledLeavesNoSandboxBean() {
        runner.withPropertyValues("cw-sandbox.enabled=false").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(Arrays.stream(context.getBeanDefinitionNames())
                    .map(name -> context.getType(name))
                    .filter(type -> type != null && type != ScanSandboxPackage.class
                            && type.getPackageName().equals(SandboxConfiguration.class.getPackageName())))
                    .isEmpty();
            assertThat(context).doesNotHaveBean(SandboxApiController.class)
                    .doesNotHaveBean(SandboxAdminController.class)
                    .doesNotHaveBean(RecordStore.class)
                    .doesNotHaveBean("sandboxApiFilter");
        });
    }
}
