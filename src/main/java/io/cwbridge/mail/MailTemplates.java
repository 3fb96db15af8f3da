package io.cwbridge.mail;

import java.util.Locale;
import java.util.Map;
import org.thymeleaf.TemplateEngine;
import org.thymeleaf.context.Context;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

/**
 * The bundle's own Thymeleaf engine for mails and the approval-link pages (R33, R35): templates
 * under {@code classpath:templates/mail/}, HTML mode. It is not a Spring bean and not Spring's
 * auto-configured engine, so a future console with web templates under {@code templates/} cannot
 * pick these up or clash with them. Every {@code th:text}/{@code th:href} value is escaped by
 * Thymeleaf: names in the data are whatever the marketplace sent.
 */
public final class MailTemplates {

    private static final TemplateEngine ENGINE = engine();

    private MailTemplates() {}

    private static TemplateEngine engine() {
        ClassLoaderTemplateResolver resolver = new ClassLoaderTemplateResolver(MailTemplates.class.getClassLoader());
        resolver.setPrefix("templates/mail/");
        resolver.setSuffix(".html");
        resolver.setTemplateMode(TemplateMode.HTML);
        resolver.setCharacterEncoding("UTF-8");
        resolver.setCacheable(true);
        TemplateEngine engine = new TemplateEngine();
        engine.setTemplateResolver(resolver);
        return engine;
    }

    /** Renders {@code templates/mail/<template>.html} with these variables. */
    public static String render(String template, Map<String, ?> variables) {
        Context context = new Context(Locale.ROOT);
        variables.forEach(context::setVariable);
        return ENGINE.process(template, context);
    }
}
