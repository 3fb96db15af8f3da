package io.cwbridge.connectwise;

import org.apache.camel.CamelContext;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.spring.boot.CamelContextConfiguration;

/**
 * Start-up check (security): the bundle does not start while the {@code http} or {@code https} component has an
 * {@code httpActivityListener}. camel-http gives every endpoint of the component that listener, and it receives each
 * ConnectWise request after the credentials are added (see {@link ConnectWiseHttp#refuseActivityListener}, which
 * refuses it again before a call, for one set later).
 */
final class ConnectWiseActivityListenerGuard implements CamelContextConfiguration {

    static final String[] COMPONENTS = {"http", "https"};

    @Override
    public void beforeApplicationStart(CamelContext camelContext) {
        check(camelContext);
    }

    @Override
    public void afterApplicationStart(CamelContext camelContext) {
        // checked before start
    }

    /** Throws when a component the ConnectWise base addresses use carries an activity listener. */
    static void check(CamelContext camel) {
        for (String name : COMPONENTS) {
            // created here when no route used it yet, with the properties Spring Boot gives it
            if (!(camel.getComponent(name) instanceof HttpComponent http)) continue;
            if (http.getHttpActivityListener() != null) {
                throw new IllegalStateException(ConnectWiseHttp.activityListenerRefusal(http.getHttpActivityListener(),
                        "component " + name));
            }
            // camel-http makes its logging listener only when the component starts, after this check: refuse the switch
            if (http.isLogHttpActivity()) {
                throw new IllegalStateException("The ConnectWise calls refuse camel-http's activity log (component " + name
                        + "): it would print each request with its Authorization header. Remove camel.component." + name
                        + ".log-http-activity=true.");
            }
        }
    }
}
