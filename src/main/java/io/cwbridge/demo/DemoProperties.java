package io.cwbridge.demo;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The demo partner of the default run ({@code cwbridge.demo.*}): connected to the local
 * ConnectWise sandbox, with a small sample data set. Off in prod.
 */
@ConfigurationProperties(prefix = "cwbridge.demo")
public record DemoProperties(@DefaultValue("true") boolean enabled, @DefaultValue("demo") String partnerId) {}
