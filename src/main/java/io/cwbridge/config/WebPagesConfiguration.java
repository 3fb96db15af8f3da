package io.cwbridge.config;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The addresses a person types: {@code /} is the console ({@code io.cwbridge.console}, issue 16);
 * {@code /workbench} opens the mapping workbench, whose page is a static file
 * ({@code static/workbench/index.html}), until it moves into the console.
 */
@Configuration
public class WebPagesConfiguration implements WebMvcConfigurer {

    static final String WORKBENCH = "/workbench/index.html";

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController("/workbench", WORKBENCH);
        registry.addRedirectViewController("/workbench/", WORKBENCH);
    }
}
