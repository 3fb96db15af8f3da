package io.cwbridge.console;

import io.cwbridge.api.ApiProblems.FieldProblem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.ProblemDetail;
import org.springframework.ui.Model;

/** How the console's controllers show a refusal in place: its message, and each field problem next to its field. */
final class ConsoleRefusals {

    private ConsoleRefusals() {}

    /** The field problems of the API's refusal (its {@code errors}). */
    static List<FieldProblem> fields(ProblemDetail problem) {
        Object errors = problem.getProperties() == null ? null : problem.getProperties().get("errors");
        List<FieldProblem> fields = new ArrayList<>();
        if (errors instanceof List<?> list) {
            list.stream().filter(FieldProblem.class::isInstance).map(FieldProblem.class::cast).forEach(fields::add);
        }
        return fields;
    }

    /** The refusal on the page: {@code error}, {@code errors} and {@code fieldErrors} ({@link #byField}). */
    static void inPlace(Model model, String error, List<FieldProblem> errors) {
        model.addAttribute("error", error);
        model.addAttribute("errors", errors);
        model.addAttribute("fieldErrors", byField(errors));
    }

    /** Problems by the form field they concern: {@code recipients[1]} and {@code companyFields[0]} belong to their list. */
    static Map<String, List<String>> byField(List<FieldProblem> problems) {
        Map<String, List<String>> byField = new LinkedHashMap<>();
        for (FieldProblem p : problems) {
            String field = p.field() == null ? "" : p.field();
            String base = field.startsWith("conditions[") ? "conditions" : field.replaceAll("\\[.*$", "");
            String where = field.equals(base) ? "" : field.substring(base.length()) + " ";
            byField.computeIfAbsent(base, k -> new ArrayList<>()).add(where + p.message());
        }
        return byField;
    }
}
