package io.cwbridge.sandbox;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Every failure of a sandbox endpoint in ConnectWise's error shape. Ahead of the application's own
 * problem+json handler, which would otherwise claim these controllers too.
 */
@ConditionalOnSandbox
@Order(Ordered.HIGHEST_PRECEDENCE)
@RestControllerAdvice(assignableTypes = {SandboxApiController.class, SandboxAdminController.class})
class SandboxExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(SandboxExceptionHandler.class);

    @ExceptionHandler(SandboxException.class)
    ResponseEntity<String> answer(SandboxException e) {
        return SandboxResponses.json(e.status(), e.body());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<String> unexpected(Exception e) {
        log.error("Sandbox failed unexpectedly", e);
        SandboxException answer = SandboxErrors.unexpected();
        return SandboxResponses.json(answer.status(), answer.body());
    }
}
