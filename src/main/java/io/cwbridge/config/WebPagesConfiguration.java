package io.cwbridge.config;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The addresses a person types: {@code /} and {@code /workbench} open the mapping workbench, whose
 * page is a static file ({@code static/workbench/index.html}).
 */
@Configuration
public class WebPagesConfiguration implements WebMvcConfigurer {

    static final String WORKBENCH = "/workbench/index.html";

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController("/", WORKBENCH);
        registry.addRedirectViewController("/workbench", WORKBENCH);
        registry.addRedirectViewController("/workbench/", WORKBENCH);
    }
}
