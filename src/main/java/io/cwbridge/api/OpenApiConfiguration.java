package io.cwbridge.api;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class OpenApiConfiguration {

    @Bean
    OpenAPI bundleOpenApi() {
        return new OpenAPI().info(new Info()
                .title("Marketplace → ConnectWise PSA sync bundle")
                .version("v1")
                .description("Partner connections, mappings, subscription events, tasks and reconciliation. "
                        + "Errors are application/problem+json with field-level details in `errors`.")
                .license(new License().name("Apache-2.0")));
    }
}
