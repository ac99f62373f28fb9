package io.opsbase;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class OpsbaseApplication {

    public static void main(String[] args) {
        SpringApplication.run(OpsbaseApplication.class, args);
    }
}
