package io.cwbridge.routes;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.Channel;
import org.apache.camel.Exchange;
import org.apache.camel.Navigate;
import org.apache.camel.Processor;
import org.apache.camel.Route;
import org.apache.camel.impl.engine.CamelInternalProcessor;
import org.apache.camel.model.BeanDefinition;
import org.apache.camel.model.ExpressionNode;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.SendDefinition;
import org.apache.camel.model.language.ExpressionDefinition;
import org.apache.camel.model.language.MethodCallExpression;
import org.apache.camel.processor.errorhandler.RedeliveryErrorHandler;
import org.apache.camel.spi.CamelInternalProcessorAdvice;

/**
 * Camel's own work per exchange, counted from the running routes (issue 14 profile): every step (a processor in its
 * channel) run while this counts (a counting advice on each channel, the bundle's JMX level keeps no processor
 * statistics; {@link #close} takes them off again); how many of them ran under an error
 * handler with redelivery enabled (each of those makes a defensive copy of the whole exchange first:
 * RedeliveryErrorHandler.defensiveCopyExchangeIfNeeded); and how many steps' own expression (setVariable, setBody,
 * filter…; not a choice's when) was a {@code method:} expression (camel-bean's BeanExpression, which copies the exchange
 * for each call) or a simple expression calling into a value (a method, or a property: {@code ${body.additionId}}; bean
 * OGNL, which does too); and how many bean calls (a
 * {@code bean:} step, a {@code to: bean:…} endpoint or a {@code method:} expression) named their method with a parameter
 * list ({@code method=resolve(${variable.taskId}, …)}), which camel-bean parses on every call, where parameters bound
 * by annotation are bound once per method.
 */
public final class RouteSteps implements AutoCloseable {

    /** A method call ({@code ${body.trim()}}) or a property of the body or of a variable, header or property's value. */
    private static final Pattern SIMPLE_METHOD_CALL = Pattern.compile(
            "\\$\\{[^}]*\\.\\w+\\(|\\$\\{(?:body|(?:variable|header|exchangeProperty)\\.[\\w-]+)\\??\\.\\w");
    /** A bean method named with its parameters: {@code name(…)}, in a method option or a bean endpoint's URI. */
    private static final Pattern PARAMETER_LIST = Pattern.compile("^\\w+\\s*\\(");
    private static final Pattern BEAN_URI_PARAMETER_LIST = Pattern.compile("^bean:[^?]*\\?(?:.*&)?method=\\w+(?:\\(|%28)");

    record Step(String routeId, String id, boolean copies, boolean beanExpression, boolean ognlCall, boolean parameterList,
                CamelInternalProcessor channel, Counter counter) {}

    /** Counts the exchanges through one channel; no state of its own per exchange. */
    static final class Counter implements CamelInternalProcessorAdvice<Object> {
        final AtomicLong ran = new AtomicLong();

        @Override
        public Object before(Exchange exchange) {
            ran.incrementAndGet();
            return null;
        }

        @Override
        public void after(Exchange exchange, Object data) {
        }

        @Override
        public boolean hasState() {
            return false;
        }
    }

    /** What ran since the counting began, by route and in all. */
    public record Counts(Map<String, long[]> byRoute, long steps, long copies, long beanExpressions, long ognlCalls,
                         long parameterLists) {

        /** Per event: steps, defensive copies, method: expressions, simple method calls, bean calls with a parameter list. */
        public String perEvent(int events) {
            return ("steps %.1f, defensive exchange copies %.1f, method: expressions %.1f, simple method calls %.1f,"
                    + " bean calls with a parameter list %.1f").formatted(steps / (double) events, copies / (double) events,
                    beanExpressions / (double) events, ognlCalls / (double) events, parameterLists / (double) events);
        }
    }

    private final List<Step> steps;

    public RouteSteps(CamelContext camel) throws Exception {
        ModelCamelContext model = (ModelCamelContext) camel;
        Set<Processor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Step> found = new ArrayList<>();
        for (Route route : camel.getRoutes()) {
            walk(model, route.getRouteId(), route.navigate(), seen, found);
        }
        this.steps = found;
        for (Step step : steps) {
            step.channel().addAdvice(step.counter());
        }
    }

    @Override
    public void close() {
        for (Step step : steps) {
            step.channel().removeAdvice(step.counter());
        }
    }

    /** How many steps of the routes are counted. */
    public int size() {
        return steps.size();
    }

    private static void walk(ModelCamelContext model, String routeId, Navigate<Processor> node, Set<Processor> seen,
                             List<Step> found) throws Exception {
        if (node == null || !node.hasNext()) return;
        for (Processor p : node.next()) {
            if (p == null || !seen.add(p)) continue;
            if (p instanceof Channel channel && channel instanceof CamelInternalProcessor internal && channel.getNextProcessor() instanceof org.apache.camel.spi.IdAware idAware
                    && idAware.getId() != null) {
                boolean copies = channel.getErrorHandler() instanceof RedeliveryErrorHandler handler
                        && handler.determineIfRedeliveryIsEnabled();
                ProcessorDefinition<?> definition = model.getProcessorDefinition(idAware.getId());
                // a mock another test of the same context wove in (OrderTypeRouterTest) is no step of the bundle's
                boolean woven = definition instanceof SendDefinition<?> send && send.getUri() != null && send.getUri().startsWith("mock:");
                ExpressionDefinition expression = definition instanceof ExpressionNode e ? e.getExpression() : null;
                boolean bean = expression instanceof MethodCallExpression;
                boolean ognl = expression != null && "simple".equals(expression.getLanguage())
                        && SIMPLE_METHOD_CALL.matcher(String.valueOf(expression.getExpression())).find();
                String method = definition instanceof BeanDefinition b ? b.getMethod()
                        : expression instanceof MethodCallExpression m ? m.getMethod() : null;
                boolean parameterList = method != null && PARAMETER_LIST.matcher(method.trim()).find()
                        || definition instanceof SendDefinition<?> send && send.getUri() != null
                        && BEAN_URI_PARAMETER_LIST.matcher(send.getUri()).find();
                if (!woven) found.add(new Step(routeId, idAware.getId(), copies, bean, ognl, parameterList, internal, new Counter()));
            }
            if (p instanceof Navigate<?> child) {
                @SuppressWarnings("unchecked") Navigate<Processor> next = (Navigate<Processor>) child;
                walk(model, routeId, next, seen, found);
            }
        }
    }

    /**
     * The steps run since the counting began, by route (steps, copies, method: expressions, simple method calls, bean calls
     * with a parameter list).
     */
    public Counts since() {
        return since(routeId -> true);
    }

    /** The steps of the routes {@code routes} takes run since the counting began. */
    public Counts since(java.util.function.Predicate<String> routes) {
        Map<String, long[]> byRoute = new TreeMap<>();
        long all = 0, copies = 0, beans = 0, ognl = 0, parameterLists = 0;
        for (Step step : steps) {
            if (!routes.test(step.routeId())) continue;
            long ran = step.counter().ran.get();
            if (ran == 0) continue;
            long[] route = byRoute.computeIfAbsent(step.routeId(), k -> new long[5]);
            route[0] += ran;
            all += ran;
            if (step.copies()) { route[1] += ran; copies += ran; }
            if (step.beanExpression()) { route[2] += ran; beans += ran; }
            if (step.ognlCall()) { route[3] += ran; ognl += ran; }
            if (step.parameterList()) { route[4] += ran; parameterLists += ran; }
        }
        return new Counts(byRoute, all, copies, beans, ognl, parameterLists);
    }
}
