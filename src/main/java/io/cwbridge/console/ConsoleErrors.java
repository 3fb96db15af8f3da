package io.cwbridge.console;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ResponseStatus;

/**
 * Errors of the console's pages are pages, not problem+json (the API's handler covers every other
 * controller of the bundle, so this one goes first and only for the console). An unknown partner: the 404 page.
 */
@ControllerAdvice(assignableTypes = {ConsoleController.class, ConsoleMappingController.class,
        ConsoleReconciliationController.class, ConsoleSettingsController.class})
@Order(Ordered.HIGHEST_PRECEDENCE)
class ConsoleErrors {

    @ExceptionHandler(UnknownPartnerPage.class)
    @ResponseStatus(HttpStatus.NOT_FOUND)
    String notFound(UnknownPartnerPage e, Model model) {
        model.addAttribute("message", e.getMessage());
        return "console/not-found";
    }
}
