package io.cwbridge.security;

import static org.springframework.security.config.Customizer.withDefaults;

import io.cwbridge.access.ConsoleRole;
import io.cwbridge.access.PartnerScope;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.web.servlet.ViewResolver;

/**
 * HTTP access (issue 16: operators and partner users).
 *
 * <p>In every profile, a state-changing request sent by a browser from a page of another origin
 * is refused with 403 ({@link CrossSiteRequestFilter}; {@code cwbridge.security.allowed-origins}
 * names further origins), and Jolokia is read-only ({@link JolokiaAccessConfiguration}).
 *
 * <p>Users ({@link BundleUsers}): an OPERATOR sees every partner and may use Hawtio and Jolokia; a PARTNER
 * user sees and changes only its partner ({@link PartnerAccessCheck}). They come from
 * {@code cwbridge.console.users[]} (every profile), in prod also from the operator settings
 * ({@code cwbridge.console.username}/{@code password}, the optional API user), table {@code console_user}
 * and an OIDC provider (OAuth2 login, on when {@code spring.security.oauth2.client.registration.*} is set).
 * People log in with the form at {@code /login}; API clients with HTTP Basic.
 *
 * <p>The console's pages ({@code /}, {@code /partners/**}, {@code /workbench/**}) always ask for a login.
 * In {@code prod} ({@code cwbridge.console.login-required=true}) everything but the health probe, the login
 * page and the approval links does. In the embedded default ({@code cwbridge.console.anonymous-api-access}) an
 * anonymous request to the API, Hawtio, Jolokia or metrics acts as the local operator, so SPEC §8 answers
 * without credentials as before; a request that logs in (a session, Basic) is that user's.
 *
 * <p>A browser session must also carry Spring Security's CSRF token: the {@code XSRF-TOKEN} cookie's value,
 * sent back in the {@code X-XSRF-TOKEN} header (Hawtio and the workbench page do) or the forms' {@code _csrf}
 * field (Thymeleaf's {@code th:action} adds it). Requests that authenticate themselves with an
 * {@code Authorization} header (Basic, bearer) carry no token: a foreign page cannot set that header, and a
 * browser's cached Basic login on a cross-site request is refused by the origin check. Neither does the
 * embedded default's anonymous API request without a session: there is no login to ride on.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ConsoleProperties.class, SecurityProperties.class})
public class WebSecurityConfiguration {

    static final String OPERATOR = ConsoleRole.OPERATOR.name();
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");
    /** The approve links of the approval mail (R35, io.cwbridge.approval): no login, the signed link is the credential. */
    private static final String APPROVAL_LINKS = "/mail/approvals/*";
    /** The console's pages: a person logs in for them in every profile. */
    static final String[] CONSOLE_PAGES = {"/", "/partners", "/partners/**", "/workbench", "/workbench/**"};

    /** The local ConnectWise sandbox (embedded default only) checks its own ConnectWise credentials; it is a test rig, open as before. */
    @Bean
    @Order(1)
    @ConditionalOnProperty(name = "cw-sandbox.enabled", havingValue = "true")
    SecurityFilterChain sandboxHttpSecurity(HttpSecurity http, SecurityProperties security) throws Exception {
        ProblemAccessDeniedHandler denied = new ProblemAccessDeniedHandler();
        return http.securityMatcher("/cw-sandbox/**")
                .exceptionHandling(e -> e.accessDeniedHandler(denied))
                .addFilterBefore(new CrossSiteRequestFilter(security.allowedOrigins(), denied), CsrfFilter.class)
                .csrf(csrf -> csrf.disable())
                .requestCache(cache -> cache.disable())
                .authorizeHttpRequests(auth -> auth.anyRequest().permitAll())
                .build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain bundleHttpSecurity(HttpSecurity http, ConsoleProperties console, SecurityProperties security,
            ObjectProvider<ClientRegistrationRepository> oidcClients,
            @Qualifier("thymeleafViewResolver") ObjectProvider<ViewResolver> pages) throws Exception {
        ProblemAccessDeniedHandler denied = new ProblemAccessDeniedHandler(pages.getIfAvailable());
        http.exceptionHandling(e -> e.accessDeniedHandler(denied))
                .addFilterBefore(new CrossSiteRequestFilter(security.allowedOrigins(), denied), CsrfFilter.class);
        boolean anonymousOperator = console.anonymousApiAccess() && !console.loginRequired();
        if (anonymousOperator) {
            http.anonymous(a -> a.authorities(AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS",
                    PartnerScope.ROLE_OPERATOR, PartnerScope.ALL_PARTNERS)));
        }
        CookieCsrfTokenRepository tokens = CookieCsrfTokenRepository.withHttpOnlyFalse();
        tokens.setCookieCustomizer(cookie -> cookie.path("/").sameSite("Strict"));
        http.csrf(csrf -> csrf.csrfTokenRepository(tokens)
                        .csrfTokenRequestHandler(new SpaCsrfTokenRequestHandler())
                        .requireCsrfProtectionMatcher(request -> csrfGuarded(request, anonymousOperator))
                        // R35: the approve link's signed single-use token is the credential and the CSRF guard
                        .ignoringRequestMatchers(APPROVAL_LINKS))
                .authorizeHttpRequests(auth -> {
                    auth.requestMatchers("/actuator/health", "/actuator/health/**", "/login", "/error").permitAll()
                            .requestMatchers("/webjars/**", "/console/*.css").permitAll() // the login page's styles
                            .requestMatchers(APPROVAL_LINKS).permitAll()
                            // only a redirect to /workbench/index.html, which asks for the login
                            .requestMatchers(HttpMethod.GET, "/workbench", "/workbench/").permitAll()
                            .requestMatchers(CONSOLE_PAGES).authenticated()
                            .requestMatchers("/actuator/jolokia", "/actuator/jolokia/**", "/actuator/hawtio", "/actuator/hawtio/**")
                            .hasRole(OPERATOR)
                            .requestMatchers("/api/v1/console-users", "/api/v1/console-users/**").hasRole(OPERATOR)
                            // metrics carry every partner's numbers
                            .requestMatchers("/actuator/**").hasAuthority(PartnerScope.ALL_PARTNERS);
                    if (anonymousOperator) {
                        auth.anyRequest().permitAll();
                    } else {
                        auth.anyRequest().authenticated();
                    }
                })
                .httpBasic(withDefaults())
                .formLogin(form -> form.loginPage("/login").permitAll())
                .logout(logout -> logout.logoutSuccessUrl("/login?logout"));
        ClientRegistrationRepository clients = oidcClients.getIfAvailable();
        if (clients != null) {
            http.oauth2Login(oauth -> oauth.loginPage("/login")
                    .userInfoEndpoint(user -> user.userAuthoritiesMapper(new OidcPartnerAuthorities(console.oidc()))));
        }
        return http.build();
    }

    /**
     * The requests a CSRF token guards: state-changing ones that do not authenticate themselves with an
     * {@code Authorization} header, i.e. those a browser's cookies would vouch for. In the embedded default an
     * API call without a session cookie vouches for nothing (it is anonymous, the local operator).
     */
    private static boolean csrfGuarded(HttpServletRequest request, boolean anonymousOperator) {
        if (SAFE_METHODS.contains(request.getMethod())) return false;
        String authorization = request.getHeader("Authorization");
        if (authorization != null) {
            String scheme = authorization.trim().toLowerCase(Locale.ROOT);
            if (scheme.startsWith("basic ") || scheme.startsWith("bearer ")) return false;
        }
        return !(anonymousOperator && request.getRequestedSessionId() == null && !browserPage(request));
    }

    static boolean browserPage(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return List.of("/", "/login", "/logout", "/partners", "/workbench").contains(path)
                || path.startsWith("/partners/") || path.startsWith("/workbench/");
    }

    /** The firewall's refusals as problem+json (Spring Security's WebSecurity uses this bean). */
    @Bean
    org.springframework.security.web.firewall.RequestRejectedHandler problemRequestRejectedHandler() {
        return new ProblemRequestRejectedHandler();
    }

    @Bean
    UserDetailsService bundleUsers(ConsoleProperties console, ObjectProvider<ConsoleUserStore> store) {
        return new BundleUsers(console, PasswordEncoderFactories.createDelegatingPasswordEncoder(),
                console.databaseUsers() ? store.getObject() : null);
    }
}
