package io.cwbridge.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import io.cwbridge.api.ApiProblems.FieldProblem;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A field-level reason for JSON text the strict reader refused (a duplicate key, something after
 * the value, a syntax error), with the JSON path where it was found. The parser's own message is
 * not passed on: it quotes the input.
 */
public final class JsonProblems {

    private static final Pattern DUPLICATE = Pattern.compile("^Duplicate (?:field|Object property) '(.*)'", Pattern.DOTALL);

    private JsonProblems() {}

    public static FieldProblem of(JsonProcessingException e) {
        String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        if (message.startsWith("Trailing token")) {
            return new FieldProblem("$", "is not valid JSON: there is more after the first value (one JSON value per body; an array is a batch)");
        }
        if (e instanceof StreamConstraintsException) {
            return new FieldProblem("$", "is not valid JSON: a number, string or nesting is beyond the reader's limits");
        }
        String path = "$";
        if (e instanceof StreamReadException read && read.getProcessor() != null) {
            JsonParser parser = read.getProcessor();
            Matcher duplicate = DUPLICATE.matcher(message);
            JsonStreamContext context = parser.getParsingContext();
            if (duplicate.find()) {
                String parent = path(context == null ? null : context.getParent(), context);
                String key = InputText.storable(duplicate.group(1));
                return new FieldProblem(parent.isEmpty() ? key : parent + "." + key, "is given twice (duplicate key): is not valid JSON");
            }
            // A syntax error is the whole body's: "$", "is not valid JSON", as always (scripts match on it).
            if (message.contains("Invalid UTF-8")) {
                return new FieldProblem(path, "is not valid JSON: the text is not valid UTF-8");
            }
        }
        return new FieldProblem(path, "is not valid JSON");
    }

    /** The dotted path of {@code context} (its own current name included unless it is {@code skipNameOf}). */
    private static String path(JsonStreamContext context, JsonStreamContext skipNameOf) {
        List<String> parts = new ArrayList<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                parts.add("[" + Math.max(c.getCurrentIndex(), 0) + "]");
            } else if (c.inObject() && c.getCurrentName() != null && c != skipNameOf) {
                parts.add("." + InputText.storable(c.getCurrentName()));
            }
        }
        Collections.reverse(parts);
        String joined = String.join("", parts);
        return joined.startsWith(".") ? joined.substring(1) : joined;
    }
}
