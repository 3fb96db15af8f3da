package io.cwbridge.security;

import static org.springframework.security.config.Customizer.withDefaults;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * HTTP access. In {@code prod} ({@code cwbridge.console.login-required=true}) everything but the
 * health probe asks for a login: HTTP Basic for API clients and scrapers, a login form for people
 * opening Hawtio in a browser. Spring Security guards Hawtio and Jolokia, so Hawtio's own JAAS
 * login is off. CSRF tokens are not used: API clients send credentials on every call, and the
 * browser session cookie is SameSite=Strict, so other sites cannot ride on it.
 *
 * <p>The embedded default is a local demo: no login, and no user exists at all (so Spring never
 * generates a password and prints it to the log).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ConsoleProperties.class)
public class WebSecurityConfiguration {

    @Bean
    SecurityFilterChain bundleHttpSecurity(HttpSecurity http, ConsoleProperties console) throws Exception {
        http.csrf(csrf -> csrf.disable());
        if (!console.loginRequired()) {
            return http.authorizeHttpRequests(auth -> auth.anyRequest().permitAll()).build();
        }
        return http
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/login", "/error").permitAll()
                        .anyRequest().authenticated())
                .httpBasic(withDefaults())
                .formLogin(withDefaults())
                .build();
    }

    @Bean
    UserDetailsService bundleUsers(ConsoleProperties console) {
        if (!console.loginRequired()) {
            return new InMemoryUserDetailsManager();
        }
        if (console.password() == null || console.password().isBlank()) {
            throw new IllegalStateException("cwbridge.console.password (CWBRIDGE_CONSOLE_PASSWORD) is required when a login is required");
        }
        PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
        return new InMemoryUserDetailsManager(User.withUsername(console.username())
                .password(encoder.encode(console.password()))
                .roles("admin", "viewer")
                .build());
    }
}
