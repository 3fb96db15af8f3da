package io.cwbridge.sandbox;

import io.cwbridge.sandbox.ConditionsTokenizer.Kind;
import io.cwbridge.sandbox.ConditionsTokenizer.Token;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Recursive-descent parser for ConnectWise's {@code conditions} query parameter:
 * <pre>
 * expression := and ("or" and)*
 * and        := unary ("and" unary)*
 * unary      := "not" unary | "(" expression ")" | comparison
 * comparison := path ("=" | "!=" | "<" | "<=" | ">" | ">=") value   (a "text" with * or [ after = / !=: a pattern)
 *             | path ["not"] "in" "(" value ("," value)* ")"
 *             | path ["not"] ("contains" | "like") value
 * value      := "text" | [date] | number | true | false | null
 * </pre>
 * Keywords are case-insensitive; "and" binds tighter than "or".
 */
final class Conditions {

    private static final List<String> KEYWORDS = List.of("and", "or", "not", "in", "contains", "like", "true", "false", "null");

    private final List<Token> tokens;
    private int index;

    private Conditions(List<Token> tokens) {
        this.tokens = tokens;
    }

    /** Parses a conditions string; throws {@link ConditionsException} with the position of the problem. */
    static Condition parse(String text) {
        if (text == null || text.isBlank()) {
            throw new ConditionsException("conditions is empty");
        }
        Conditions parser = new Conditions(ConditionsTokenizer.tokenize(text));
        Condition condition = parser.expression();
        Token rest = parser.peek();
        if (rest.kind() != Kind.END) {
            throw new ConditionsException("unexpected '" + rest.text() + "' at position " + rest.position());
        }
        return condition;
    }

    private Condition expression() {
        Condition left = and();
        while (peek().isWord("or")) {
            index++;
            left = new Condition.Or(left, and());
        }
        return left;
    }

    private Condition and() {
        Condition left = unary();
        while (peek().isWord("and")) {
            index++;
            left = new Condition.And(left, unary());
        }
        return left;
    }

    private Condition unary() {
        Token token = peek();
        if (token.isWord("not")) {
            index++;
            return new Condition.Not(unary());
        }
        if (token.kind() == Kind.OPEN) {
            index++;
            Condition inner = expression();
            expect(Kind.CLOSE, "')'");
            return inner;
        }
        return comparison();
    }

    private Condition comparison() {
        Token field = next();
        if (field.kind() != Kind.WORD || isKeyword(field)) {
            throw new ConditionsException("expected a field name at position " + field.position()
                    + (field.kind() == Kind.END ? " (end of conditions)" : ", found '" + field.text() + "'"));
        }
        String path = field.text().startsWith("/") ? field.text().substring(1) : field.text();
        boolean negated = false;
        if (peek().isWord("not")) {
            index++;
            negated = true;
        }
        Token op = next();
        if (op.kind() == Kind.OPERATOR && !negated) {
            return compare(path, op);
        }
        if (op.isWord("in")) {
            return Condition.Match.of(path, Condition.Match.Kind.IN, list(), negated);
        }
        if (op.isWord("contains") || op.isWord("like")) {
            ConditionValue value = value();
            if (value instanceof ConditionValue.Null) {
                throw new ConditionsException(op.text() + " needs a value other than null at position " + op.position());
            }
            Condition.Match.Kind kind = op.isWord("like") ? Condition.Match.Kind.LIKE : Condition.Match.Kind.CONTAINS;
            return Condition.Match.of(path, kind, List.of(value), negated);
        }
        throw new ConditionsException("expected an operator after '" + field.text() + "' at position " + op.position());
    }

    private Condition compare(String path, Token op) {
        ConditionValue value = value();
        Condition.Operator operator = switch (op.text()) {
            case "=" -> Condition.Operator.EQ;
            case "!=" -> Condition.Operator.NE;
            case "<" -> Condition.Operator.LT;
            case "<=" -> Condition.Operator.LE;
            case ">" -> Condition.Operator.GT;
            default -> Condition.Operator.GE;
        };
        boolean equality = operator == Condition.Operator.EQ || operator == Condition.Operator.NE;
        if (!equality && (value instanceof ConditionValue.Null || value instanceof ConditionValue.Bool)) {
            throw new ConditionsException(value.text() + " can only be compared with = or != (position " + op.position() + ")");
        }
        // Developer Guide "Conditions": a string after = "Accepts * for wildcards"; [[] is a literal [ (TextPattern).
        if (equality && value instanceof ConditionValue.Text text && TextPattern.isPattern(text.value(), false)) {
            return Condition.Match.of(path, Condition.Match.Kind.EQUALS, List.of(value), operator == Condition.Operator.NE);
        }
        return new Condition.Compare(path, operator, value);
    }

    private List<ConditionValue> list() {
        expect(Kind.OPEN, "'(' after in");
        List<ConditionValue> values = new ArrayList<>();
        values.add(value());
        while (peek().kind() == Kind.COMMA) {
            index++;
            values.add(value());
        }
        expect(Kind.CLOSE, "')' to close the in list");
        return values;
    }

    private ConditionValue value() {
        Token token = next();
        return switch (token.kind()) {
            case STRING -> new ConditionValue.Text(token.text());
            case NUMBER -> new ConditionValue.Number(new BigDecimal(token.text()));
            case DATE -> SandboxDates.parse(token.text()).<ConditionValue>map(ConditionValue.Date::new)
                    .orElseThrow(() -> new ConditionsException("invalid date [" + token.text() + "] at position " + token.position()));
            case WORD -> word(token);
            default -> throw missingValue(token);
        };
    }

    private ConditionValue word(Token token) {
        if (token.isWord("true") || token.isWord("false")) {
            return new ConditionValue.Bool(token.isWord("true"));
        }
        if (token.isWord("null")) {
            return new ConditionValue.Null();
        }
        throw missingValue(token);
    }

    private static ConditionsException missingValue(Token token) {
        return new ConditionsException("expected a value (\"text\", [date], number, true, false or null) at position "
                + token.position() + (token.kind() == Kind.END ? " (end of conditions)" : ", found '" + token.text() + "'"));
    }

    private void expect(Kind kind, String what) {
        Token token = next();
        if (token.kind() != kind) {
            throw new ConditionsException("expected " + what + " at position " + token.position()
                    + (token.kind() == Kind.END ? " (end of conditions)" : ", found '" + token.text() + "'"));
        }
    }

    private Token peek() {
        return tokens.get(index);
    }

    private Token next() {
        Token token = tokens.get(index);
        if (token.kind() != Kind.END) {
            index++;
        }
        return token;
    }

    private static boolean isKeyword(Token token) {
        return KEYWORDS.stream().anyMatch(token::isWord);
    }
}
