package io.cwbridge.api;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The text rules of every input (events, invoice lines, API request bodies), and how refused text
 * is kept storable.
 *
 * <p>A string value or key must not hold: NUL or any other C0/C1 control character (U+0000–U+001F,
 * U+007F–U+009F), except a line feed (U+000A) in free text (descriptions, resource details,
 * reasons); the bidirectional embedding/override/isolate characters U+202A–U+202E and
 * U+2066–U+2069 (they make a name display otherwise than it reads); an unpaired surrogate (not a
 * character; PostgreSQL refuses it); U+FFFD (the decoder's mark for bytes that were not UTF-8).
 *
 * <p>PostgreSQL's text and jsonb refuse NUL (and jsonb an unpaired surrogate), so text that is
 * kept although refused (a parked raw payload, a reason naming a key) goes through
 * {@link #storable}, which writes those as the JSON escape {@code \\uXXXX}: in a JSON string that is
 * the same character, so nothing of the input is lost.
 */
public final class InputText {

    /** Bound of a string the schema or the request does not bound otherwise. */
    public static final int MAX_STRING = 6000;

    private InputText() {}

    /** Null when {@code value} may be taken; otherwise why not. {@code freeText} allows line feeds. */
    public static String problem(String value, boolean freeText) {
        if (value == null) return null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\n' && freeText) continue;
            if (c == 0) return "must not contain NUL (U+0000)";
            if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
                return "must not contain control character " + code(c)
                        + (freeText ? " (only line feeds are allowed here)" : "");
            }
            if ((c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)) {
                return "must not contain bidirectional control character " + code(c);
            }
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
                continue;
            }
            if (Character.isSurrogate(c)) return "must not contain an unpaired surrogate " + code(c);
            if (c == '\uFFFD') return "must not contain U+FFFD (the replacement character: the input was not valid UTF-8)";
        }
        return null;
    }

    /**
     * Null when {@code value} holds nothing that can never be stored or shown safely (NUL, an
     * unpaired surrogate, a bidi control, U+FFFD); otherwise why not. The looser rule of JSON-tree
     * request bodies, whose endpoints name the other control characters field by field themselves.
     */
    public static String unsafe(String value) {
        if (value == null) return null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == 0 || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c == '\uFFFD' || Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return problem(value, true);
            }
        }
        return null;
    }

    /** {@code text} with NUL and unpaired surrogates written as {@code \\uXXXX}, so PostgreSQL text and jsonb keep it. */
    public static String storable(String text) {
        if (text == null) return null;
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean paired = Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
            boolean escape = c == 0 || (Character.isSurrogate(c) && !paired);
            if (escape && out == null) out = new StringBuilder(text.length() + 16).append(text, 0, i);
            if (out != null) {
                if (escape) out.append(String.format("\\u%04x", (int) c));
                else out.append(c);
                if (paired) out.append(text.charAt(++i));
            } else if (paired) {
                i++;
            }
        }
        return out == null ? text : out.toString();
    }

    /** Whether {@link #storable} would change {@code text}. */
    public static boolean isStorable(String text) {
        return text == null || storable(text).equals(text);
    }

    /**
     * Bytes of a request body read as UTF-8. {@code invalidAt} is the offset of the first byte that
     * is not UTF-8 (-1: all valid); then {@code text} has every such byte as {@code \xHH}, so the raw
     * input can be kept and shown.
     */
    public record Decoded(String text, long invalidAt) {
        public boolean valid() {
            return invalidAt < 0;
        }
    }

    public static Decoded utf8(byte[] bytes) {
        if (bytes == null) return new Decoded("", -1);
        CharsetDecoder strict = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            return new Decoded(strict.decode(ByteBuffer.wrap(bytes)).toString(), -1);
        } catch (CharacterCodingException e) {
            return escaped(bytes);
        }
    }

    private static Decoded escaped(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length * 4 + 16);
        long first = -1;
        while (true) {
            CoderResult result = decoder.decode(in, out, true);
            if (result.isUnderflow()) break;
            if (result.isError()) {
                if (first < 0) first = in.position();
                for (int k = 0; k < result.length(); k++) {
                    out.put(String.format("\\x%02X", bytes[in.position()] & 0xff));
                    in.position(in.position() + 1);
                }
            } else {
                break; // overflow cannot happen: 4 chars per byte is the most an escape takes
            }
        }
        decoder.flush(out);
        out.flip();
        return new Decoded(out.toString(), first);
    }

    private static String code(char c) {
        return String.format("U+%04X", (int) c);
    }
}
