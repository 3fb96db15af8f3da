package io.cwbridge.security;

import static org.springframework.security.config.Customizer.withDefaults;

import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfFilter;

/**
 * HTTP access.
 *
 * <p>In every profile, a state-changing request sent by a browser from a page of another origin
 * is refused with 403 ({@link CrossSiteRequestFilter}; {@code cwbridge.security.allowed-origins}
 * names further origins), and Jolokia is read-only ({@link JolokiaAccessConfiguration}).
 *
 * <p>In {@code prod} ({@code cwbridge.console.login-required=true}) everything but the health
 * probe asks for a login: HTTP Basic for API clients and scrapers, a login form for people opening
 * Hawtio in a browser. Hawtio and Jolokia need the role {@code OPERATOR} (the console user has it,
 * the optional API user has not). Spring Security guards Hawtio and Jolokia, so Hawtio's own JAAS
 * login is off. A browser session (the cookie of the login form) must also carry Spring
 * Security's CSRF token: the {@code XSRF-TOKEN} cookie's value, sent back in the
 * {@code X-XSRF-TOKEN} header (Hawtio and the workbench page do) or the login form's field.
 * Requests that authenticate themselves with an {@code Authorization} header (Basic, bearer) carry
 * no token: a foreign page cannot set that header, and a browser's cached Basic login on a
 * cross-site request is refused by the origin check.
 *
 * <p>The embedded default is a local demo: no login, and no user exists at all (so Spring never
 * generates a password and prints it to the log); there is no session either, so no CSRF token.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ConsoleProperties.class, SecurityProperties.class})
public class WebSecurityConfiguration {

    static final String OPERATOR = "OPERATOR";
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");
    /** The approve links of the approval mail (R35, io.cwbridge.approval): no login, the signed link is the credential. */
    private static final String APPROVAL_LINKS = "/mail/approvals/*";

    @Bean
    SecurityFilterChain bundleHttpSecurity(HttpSecurity http, ConsoleProperties console, SecurityProperties security)
            throws Exception {
        ProblemAccessDeniedHandler denied = new ProblemAccessDeniedHandler();
        http.exceptionHandling(e -> e.accessDeniedHandler(denied))
                .addFilterBefore(new CrossSiteRequestFilter(security.allowedOrigins(), denied), CsrfFilter.class);
        if (!console.loginRequired()) {
            return http.csrf(csrf -> csrf.disable())
                    .authorizeHttpRequests(auth -> auth.anyRequest().permitAll()).build();
        }
        CookieCsrfTokenRepository tokens = CookieCsrfTokenRepository.withHttpOnlyFalse();
        tokens.setCookieCustomizer(cookie -> cookie.path("/").sameSite("Strict"));
        return http
                .csrf(csrf -> csrf.csrfTokenRepository(tokens)
                        .csrfTokenRequestHandler(new SpaCsrfTokenRequestHandler())
                        .requireCsrfProtectionMatcher(WebSecurityConfiguration::sentOnTheStrengthOfCookies)
                        // R35: the approve link's signed single-use token is the credential and the CSRF guard
                        .ignoringRequestMatchers(APPROVAL_LINKS))
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/login", "/error").permitAll()
                        .requestMatchers(APPROVAL_LINKS).permitAll()
                        .requestMatchers("/actuator/jolokia", "/actuator/jolokia/**", "/actuator/hawtio", "/actuator/hawtio/**")
                        .hasRole(OPERATOR)
                        .anyRequest().authenticated())
                .httpBasic(withDefaults())
                .formLogin(withDefaults())
                .build();
    }

    /**
     * The requests a CSRF token guards: state-changing ones that do not authenticate themselves
     * with an {@code Authorization} header, i.e. those a browser's cookies would vouch for.
     */
    private static boolean sentOnTheStrengthOfCookies(HttpServletRequest request) {
        if (SAFE_METHODS.contains(request.getMethod())) return false;
        String authorization = request.getHeader("Authorization");
        if (authorization == null) return true;
        String scheme = authorization.trim().toLowerCase(Locale.ROOT);
        return !(scheme.startsWith("basic ") || scheme.startsWith("bearer "));
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
        List<UserDetails> users = new ArrayList<>();
        users.add(User.withUsername(console.username())
                .password(encoder.encode(console.password()))
                .roles("admin", "viewer", OPERATOR)
                .build());
        if (console.apiPassword() != null && !console.apiPassword().isBlank()) {
            if (console.apiUsername().equals(console.username())) {
                throw new IllegalStateException("cwbridge.console.api-username must differ from cwbridge.console.username");
            }
            users.add(User.withUsername(console.apiUsername())
                    .password(encoder.encode(console.apiPassword()))
                    .roles("api")
                    .build());
        }
        return new InMemoryUserDetailsManager(users);
    }
}
