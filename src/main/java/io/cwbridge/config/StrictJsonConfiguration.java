package io.cwbridge.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.deser.std.JsonNodeDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.cwbridge.api.FreeText;
import io.cwbridge.api.InputText;
import io.cwbridge.api.RefusedTextException;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.converter.json.MappingJackson2HttpMessageConverter;

/**
 * The one strict JSON reading of the bundle (issue 13), applied to the application's ObjectMapper
 * and so to events, invoice lines (HTTP and Kafka), the plan endpoint and every API request body:
 *
 * <ul>
 *   <li>a duplicate key is an error ({@code STRICT_DUPLICATE_DETECTION}), as is anything after the
 *       value ({@code FAIL_ON_TRAILING_TOKENS}: trailing garbage, a second object);</li>
 *   <li>no coercion: a float is not an integer ({@code 1.5} is not company 1, nor is {@code 1.0}),
 *       a number or boolean is not a string (a private key must be a JSON string), a string is not
 *       a number or boolean, a number is not an enum constant;</li>
 *   <li>floats are read as BigDecimal (money is exact).</li>
 * </ul>
 *
 * Request bodies read by Spring MVC additionally refuse control and bidi characters in every
 * string ({@link InputText}; line feeds only in {@link FreeText} fields). JSON-tree bodies (sync
 * rules, notification settings, subscription import), whose endpoints name bad fields one by one,
 * refuse at read time only what can never be kept: NUL, unpaired surrogates, bidi controls, U+FFFD
 * ({@link InputText#unsafe}), in values and keys. That rule is kept off the application's own
 * mapper, which also reads ConnectWise answers and stored rows. Invalid UTF-8 is refused by
 * Jackson's byte parser (request bodies) or by {@link InputText#utf8} (events, invoice lines).
 */
@Configuration(proxyBeanMethods = false)
public class StrictJsonConfiguration {

    @Bean
    Jackson2ObjectMapperBuilderCustomizer strictJsonReading() {
        return builder -> builder.postConfigurer(StrictJsonConfiguration::strict);
    }

    /**
     * Spring MVC reads (and writes) request bodies with a copy of the application mapper plus the text rules, and a typed
     * request body refuses a field it does not have: a misspelt {@code agreementID} is a 400 naming it, not a mapping made
     * without the agreement asked for. Only here: the application's mapper also reads ConnectWise answers, which carry
     * many fields the bundle does not read.
     */
    @Bean
    MappingJackson2HttpMessageConverter mappingJackson2HttpMessageConverter(ObjectMapper mapper) {
        return new MappingJackson2HttpMessageConverter(mapper.copy().registerModule(textRules())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES));
    }

    /** Applies the strict reading to {@code mapper} (its factory included) and answers it. */
    public static <M extends ObjectMapper> M strict(M mapper) {
        mapper.getFactory().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS,
                DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        mapper.coercionConfigFor(LogicalType.Integer)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Float)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Boolean)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Enum)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        return mapper;
    }

    /** A strict mapper of its own (java.time included), for code and tests outside the Spring context. */
    public static JsonMapper newStrictMapper() {
        return strict(JsonMapper.builder().findAndAddModules().build());
    }

    /** The text rules of request bodies, as a Jackson module (typed strings and JSON trees). */
    public static SimpleModule textRules() {
        SimpleModule module = new SimpleModule("cwbridge-text-rules");
        module.addDeserializer(String.class, new TextRuleStrings(false));
        module.addDeserializer(JsonNode.class, new TextRuleTrees());
        return module;
    }

    static final class TextRuleStrings extends StdScalarDeserializer<String> implements ContextualDeserializer {
        private final boolean freeText;

        TextRuleStrings(boolean freeText) {
            super(String.class);
            this.freeText = freeText;
        }

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String value = StringDeserializer.instance.deserialize(p, ctxt);
            String why = InputText.problem(value, freeText);
            if (why != null) throw new RefusedTextException(p, why);
            if (value != null && value.length() > InputText.MAX_STRING) {
                throw new RefusedTextException(p, "must be at most " + InputText.MAX_STRING + " characters");
            }
            return value;
        }

        @Override
        public JsonDeserializer<?> createContextual(DeserializationContext ctxt, BeanProperty property) {
            boolean free = property != null && property.getAnnotation(FreeText.class) != null;
            return free == freeText ? this : new TextRuleStrings(free);
        }
    }

    static final class TextRuleTrees extends StdDeserializer<JsonNode> {
        @SuppressWarnings("unchecked")
        private final JsonDeserializer<JsonNode> standard = (JsonDeserializer<JsonNode>) JsonNodeDeserializer.getDeserializer(JsonNode.class);

        TextRuleTrees() {
            super(JsonNode.class);
        }

        @Override
        public JsonNode deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonNode tree = standard.deserialize(p, ctxt);
            Deque<Object> path = new ArrayDeque<>();
            check(tree, false, path, p);
            return tree;
        }

        @Override
        public JsonNode getNullValue(DeserializationContext ctxt) {
            return NullNode.getInstance();
        }

        @Override
        public boolean isCachable() {
            return true;
        }

        private static void check(JsonNode node, boolean freeText, Deque<Object> path, JsonParser p) throws JsonMappingException {
            if (node.isTextual()) {
                // Trees are validated field by field by their endpoints; refused here is only what can never be kept.
                String why = InputText.unsafe(node.textValue());
                if (why == null && node.textValue().length() > InputText.MAX_STRING) {
                    why = "must be at most " + InputText.MAX_STRING + " characters";
                }
                if (why != null) throw refused(p, why, path);
            } else if (node.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    String keyProblem = InputText.unsafe(e.getKey());
                    if (keyProblem != null) throw refused(p, "has a key that " + keyProblem, path);
                    path.addLast(e.getKey());
                    check(e.getValue(), true, path, p);
                    path.removeLast();
                }
            } else if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    path.addLast(i);
                    check(node.get(i), freeText, path, p);
                    path.removeLast();
                }
            }
        }

        private static JsonMappingException refused(JsonParser p, String why, Deque<Object> path) {
            RefusedTextException e = new RefusedTextException(p, why);
            for (Iterator<Object> it = path.descendingIterator(); it.hasNext(); ) {
                Object element = it.next();
                e.prependPath(element instanceof Integer i
                        ? new JsonMappingException.Reference(null, i)
                        : new JsonMappingException.Reference(null, InputText.storable((String) element)));
            }
            return e;
        }
    }
}
