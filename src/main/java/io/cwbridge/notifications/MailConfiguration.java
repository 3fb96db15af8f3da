package io.cwbridge.notifications;

import java.util.Properties;
import org.apache.camel.component.mail.MailComponent;
import org.apache.camel.spi.ComponentCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Gives the {@code smtp}/{@code smtps} components the credentials from {@link MailProperties}, so the
 * password lives on the component and never in an endpoint URI (URIs show up in logs and JMX).
 */
@Configuration(proxyBeanMethods = false)
public class MailConfiguration {

    @Bean
    public ComponentCustomizer notificationMailCustomizer(MailProperties mail) {
        return ComponentCustomizer.builder(MailComponent.class)
                .withCondition((name, component) -> "smtp".equals(name) || "smtps".equals(name))
                .build(component -> {
                    if (mail.authenticates()) {
                        component.getConfiguration().setUsername(mail.username());
                        component.getConfiguration().setPassword(mail.password());
                    }
                    component.getConfiguration().setFrom(mail.from());
                    component.getConfiguration().setConnectionTimeout(15_000);
                    if (mail.starttls()) {
                        Properties tls = new Properties();
                        tls.setProperty("mail.smtp.starttls.enable", "true");
                        tls.setProperty("mail.smtp.starttls.required", "true");
                        component.getConfiguration().setAdditionalJavaMailProperties(tls);
                    }
                });
    }
}
