package io.cwbridge.config;

import io.cwbridge.events.EventAction;
import io.cwbridge.events.EventType;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.spi.TypeConverterRegistry;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.apache.camel.support.TypeConverterSupport;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Direct text-to-enum converters for the enums the routes compare with text ({@code ${variable.event.type} ==
 * 'SALES_ORDER'} in routes/order-types.yaml). Without them every such comparison goes through Camel's fallback
 * enum converter, which looks the pair up anew each time by walking the whole converter registry: in the issue 14
 * profile about 5 % of the sync consumers' samples (three comparisons per event).
 */
@Configuration(proxyBeanMethods = false)
public class RouteTypeConverters {

    @Bean
    CamelContextConfiguration enumTextConverters() {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext camel) {
                TypeConverterRegistry registry = camel.getTypeConverterRegistry();
                registry.addTypeConverter(EventType.class, String.class, new EnumFromText<>(EventType.class));
                registry.addTypeConverter(EventAction.class, String.class, new EnumFromText<>(EventAction.class));
            }

            @Override
            public void afterApplicationStart(CamelContext camel) {
                // nothing: the converters are in place before the routes start
            }
        };
    }

    /** A constant's exact name to the constant; any other text converts to nothing (so it equals no constant). */
    static final class EnumFromText<E extends Enum<E>> extends TypeConverterSupport {

        private final Class<E> type;

        EnumFromText(Class<E> type) {
            this.type = type;
        }

        @Override
        public <T> T convertTo(Class<T> to, Exchange exchange, Object value) {
            if (!(value instanceof String text)) return null;
            for (E constant : type.getEnumConstants()) {
                if (constant.name().equals(text)) return to.cast(constant);
            }
            return null;
        }
    }
}
