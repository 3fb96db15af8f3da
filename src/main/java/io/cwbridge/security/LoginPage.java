package io.cwbridge.security;

import jakarta.servlet.http.HttpServletResponse;
import java.security.Principal;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.RequestParam;

/** The login page of the console and Hawtio ({@code /login}; Spring Security handles its POST), with the OIDC providers' links. */
@Controller
class LoginPage {

    /** An OIDC provider's link on the page. */
    record Provider(String name, String href) {}

    private final ObjectProvider<ClientRegistrationRepository> clients;
    private final String demoLogins;

    LoginPage(ObjectProvider<ClientRegistrationRepository> clients, ConsoleProperties console) {
        this.clients = clients;
        this.demoLogins = console.loginHint();
    }

    @GetMapping("/login")
    String login(@RequestParam(required = false) String error, @RequestParam(required = false) String logout, Model model,
            HttpServletResponse response) {
        response.setHeader("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
        model.addAttribute("error", error != null);
        model.addAttribute("loggedOut", logout != null);
        model.addAttribute("demoLogins", demoLogins.isEmpty() ? null : demoLogins);
        List<Provider> providers = new ArrayList<>();
        if (clients.getIfAvailable() instanceof Iterable<?> registrations) {
            for (Object r : registrations) {
                ClientRegistration registration = (ClientRegistration) r;
                providers.add(new Provider(registration.getClientName(), "/oauth2/authorization/" + registration.getRegistrationId()));
            }
        }
        model.addAttribute("providers", providers);
        return "console/login";
    }

    /** Who is logged in, for the console's navigation (its log-out button). */
    @ControllerAdvice(basePackages = "io.cwbridge.console")
    static class CurrentUser {
        @ModelAttribute("currentUser")
        String currentUser(Principal principal) {
            return principal == null ? null : principal.getName();
        }
    }
}
