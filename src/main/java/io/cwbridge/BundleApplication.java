package io.cwbridge;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Entry point of the marketplace → ConnectWise PSA sync bundle. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class BundleApplication {
    public static void main(String[] args) {
        SpringApplication.run(BundleApplication.class, args);
    }
}
