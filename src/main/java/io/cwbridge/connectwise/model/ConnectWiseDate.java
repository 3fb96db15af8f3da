package io.cwbridge.connectwise.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import java.io.IOException;
import java.time.LocalDate;

/**
 * A ConnectWise date: a UTC midnight date-time ({@code 2024-03-15T00:00:00Z}) or a bare date; the
 * date part is the day. Anything else (no text, shorter than a date) reads as no date.
 */
public final class ConnectWiseDate extends StdDeserializer<LocalDate> {

    public ConnectWiseDate() {
        super(LocalDate.class);
    }

    @Override
    public LocalDate deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        return p.currentToken() == JsonToken.VALUE_STRING ? parse(p.getText()) : null;
    }

    /** The day of a ConnectWise date text, or null. */
    public static LocalDate parse(String text) {
        return text != null && text.length() >= 10 ? LocalDate.parse(text.substring(0, 10)) : null;
    }
}
