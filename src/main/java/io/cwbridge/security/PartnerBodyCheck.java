package io.cwbridge.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cwbridge.access.PartnerScope;
import io.cwbridge.api.ApiProblems;
import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.HttpStatus;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;

/**
 * The body half of {@link PartnerAccessCheck}: an event sent by a partner user ({@code POST /api/v1/events},
 * {@code /api/v1/plan}, a parked event's fixed text) must name its own partner; a batch with any foreign
 * partner is refused whole (403, nothing stored). Text that is not JSON, or an event without a partnerId,
 * goes on: it is parked as invalid (without a partner, only an operator sees it).
 */
@ControllerAdvice
class PartnerBodyCheck extends RequestBodyAdviceAdapter {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public boolean supports(MethodParameter parameter, Type targetType, Class<? extends HttpMessageConverter<?>> converterType) {
        return targetType == byte[].class || targetType == String.class;
    }

    @Override
    public Object afterBodyRead(Object body, HttpInputMessage input, MethodParameter parameter, Type targetType,
            Class<? extends HttpMessageConverter<?>> converterType) {
        PartnerScope scope = PartnerScope.current();
        if (scope.allPartners() || !(RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes)) {
            return body;
        }
        HttpServletRequest request = attributes.getRequest();
        if (!PartnerAccessCheck.BODY_SCOPED.contains(request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE))) return body;
        String text = body instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : (String) body;
        JsonNode json;
        try {
            json = JSON.readTree(text);
        } catch (Exception e) {
            return body;
        }
        if (json == null) return body;
        for (JsonNode event : json.isArray() ? json : List.of(json)) {
            JsonNode partner = event.path("partnerId");
            if (partner.isTextual() && !scope.sees(partner.asText())) {
                throw new ErrorResponseException(HttpStatus.FORBIDDEN, ApiProblems.problem(HttpStatus.FORBIDDEN,
                        PartnerAccessCheck.notYours(scope, "partner " + partner.asText())
                                + (json.isArray() ? " Nothing of the batch was taken." : ""), List.of()), null);
            }
        }
        return body;
    }
}
