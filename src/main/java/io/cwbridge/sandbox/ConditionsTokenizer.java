package io.cwbridge.sandbox;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a ConnectWise {@code conditions} string into tokens: field paths and keywords, "strings",
 * [dates], numbers, operators, parentheses and commas.
 */
final class ConditionsTokenizer {

    enum Kind { WORD, STRING, DATE, NUMBER, OPERATOR, OPEN, CLOSE, COMMA, END }

    /** @param position 1-based column of the token's first character, for error messages */
    record Token(Kind kind, String text, int position) {
        boolean isWord(String word) {
            return kind == Kind.WORD && text.equalsIgnoreCase(word);
        }
    }

    private final String input;
    private int pos;

    private ConditionsTokenizer(String input) {
        this.input = input;
    }

    static List<Token> tokenize(String input) {
        return new ConditionsTokenizer(input).all();
    }

    private List<Token> all() {
        List<Token> tokens = new ArrayList<>();
        while (true) {
            skipSpace();
            if (pos >= input.length()) {
                tokens.add(new Token(Kind.END, "", pos + 1));
                return tokens;
            }
            tokens.add(next());
        }
    }

    private Token next() {
        int start = pos;
        char c = input.charAt(pos);
        switch (c) {
            case '(': pos++; return new Token(Kind.OPEN, "(", start + 1);
            case ')': pos++; return new Token(Kind.CLOSE, ")", start + 1);
            case ',': pos++; return new Token(Kind.COMMA, ",", start + 1);
            case '"': return string(start);
            case '[': return date(start);
            default: break;
        }
        if (c == '=' || c == '!' || c == '<' || c == '>') {
            return operator(start);
        }
        if (Character.isDigit(c) || (c == '-' && pos + 1 < input.length() && Character.isDigit(input.charAt(pos + 1)))) {
            return number(start);
        }
        if (isWordChar(c)) {
            while (pos < input.length() && isWordChar(input.charAt(pos))) pos++;
            return new Token(Kind.WORD, input.substring(start, pos), start + 1);
        }
        throw new ConditionsException("unexpected character '" + c + "' at position " + (start + 1));
    }

    /**
     * A string runs to the next {@code "}, every character as written: a backslash is no escape (the Developer
     * Guide's backslash escapes, section "Escaping Characters", are for JSON bodies; for URL parameters it lists
     * only URL encodings and {@code [[]}). Its {@code *} and {@code [} are read by {@link TextPattern}. Assumption:
     * a {@code "} cannot be written inside a string (the guide gives no way), so one ends it.
     */
    private Token string(int start) {
        int close = input.indexOf('"', pos + 1);
        if (close < 0) {
            throw new ConditionsException("unterminated string starting at position " + (start + 1));
        }
        pos = close + 1;
        return new Token(Kind.STRING, input.substring(start + 1, close), start + 1);
    }

    private Token date(int start) {
        int close = input.indexOf(']', pos);
        if (close < 0) {
            throw new ConditionsException("unterminated date starting at position " + (start + 1));
        }
        pos = close + 1;
        return new Token(Kind.DATE, input.substring(start + 1, close).trim(), start + 1);
    }

    private Token operator(int start) {
        String two = input.substring(pos, Math.min(pos + 2, input.length()));
        String op = switch (two) {
            case "!=", "<=", ">=", "<>" -> two;
            default -> two.substring(0, 1);
        };
        if (op.equals("!")) {
            throw new ConditionsException("unexpected character '!' at position " + (start + 1));
        }
        pos += op.length();
        return new Token(Kind.OPERATOR, op.equals("<>") ? "!=" : op, start + 1);
    }

    private Token number(int start) {
        pos++;
        while (pos < input.length() && (Character.isDigit(input.charAt(pos)) || input.charAt(pos) == '.')) pos++;
        String text = input.substring(start, pos);
        if (!text.matches("-?\\d+(\\.\\d+)?")) {
            throw new ConditionsException("invalid number '" + text + "' at position " + (start + 1));
        }
        return new Token(Kind.NUMBER, text, start + 1);
    }

    private void skipSpace() {
        while (pos < input.length() && Character.isWhitespace(input.charAt(pos))) pos++;
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '/' || c == '.';
    }
}
