package io.cwbridge.sandbox;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;

/**
 * Every sandbox bean carries this, because the application's component scan reaches this package
 * too: with {@code cw-sandbox.enabled=false} (prod) none of it, controllers included, exists.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ConditionalOnProperty(name = "cw-sandbox.enabled", havingValue = "true", matchIfMissing = true)
public @interface ConditionalOnSandbox {}
