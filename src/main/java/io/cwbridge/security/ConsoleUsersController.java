package io.cwbridge.security;

import io.cwbridge.access.ConsoleRole;
import io.cwbridge.api.ApiProblems;
import io.cwbridge.api.ApiProblems.FieldProblem;
import io.cwbridge.partner.PartnerIds;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The operator adds and removes the console users of table {@code console_user} (prod,
 * {@code cwbridge.console.database-users}); operators only (WebSecurityConfiguration). A password is
 * stored as a bcrypt hash and never answered.
 */
@RestController
@ConditionalOnProperty(name = "cwbridge.console.database-users", havingValue = "true")
@Tag(name = "Console users")
public class ConsoleUsersController {

    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@+-]{0,99}");
    private final ConsoleUserStore store;
    private final PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();

    public ConsoleUsersController(ConsoleUserStore store) {
        this.store = store;
    }

    public record UserRequest(@NotBlank @Size(min = 12, max = 200) String password, @NotNull ConsoleRole role, String partnerId) {
        @Override
        public String toString() {
            return "UserRequest[password=****, role=" + role + ", partnerId=" + partnerId + "]";
        }
    }

    @GetMapping("/api/v1/console-users")
    @Operation(summary = "List the console users kept in the database (no passwords)")
    public List<ConsoleUserStore.StoredUser> list() {
        return store.list();
    }

    @PutMapping("/api/v1/console-users/{username}")
    @Operation(summary = "Add a console user, or replace its password, role and partner",
            description = "Body {password (12-200 characters), role: OPERATOR|PARTNER, partnerId (a PARTNER user's partner)}.")
    public ConsoleUserStore.StoredUser save(@PathVariable String username, @Valid @RequestBody UserRequest request) {
        List<FieldProblem> problems = new ArrayList<>();
        if (!USERNAME.matcher(username).matches()) problems.add(new FieldProblem("username", "must be 1-100 letters, digits, '.', '_', '@', '+' or '-'"));
        if (request.role() == ConsoleRole.PARTNER) {
            try {
                PartnerIds.check(request.partnerId());
            } catch (ErrorResponseException e) {
                problems.add(new FieldProblem("partnerId", "a PARTNER user needs its partner: 1-100 letters, digits, '.', '_' or '-'"));
            }
        }
        if (!problems.isEmpty()) {
            throw new ErrorResponseException(HttpStatus.BAD_REQUEST, ApiProblems.problem(HttpStatus.BAD_REQUEST, "The request is invalid.", problems), null);
        }
        store.save(username, request.password(), request.role(), request.partnerId(), encoder);
        return new ConsoleUserStore.StoredUser(username, request.role(), request.role() == ConsoleRole.PARTNER ? request.partnerId() : null);
    }

    @DeleteMapping("/api/v1/console-users/{username}")
    @Operation(summary = "Remove a console user of the database")
    public ResponseEntity<Void> remove(@PathVariable String username) {
        if (!store.remove(username)) throw ApiProblems.notFound("No console user " + username + " in the database");
        return ResponseEntity.noContent().build();
    }
}
