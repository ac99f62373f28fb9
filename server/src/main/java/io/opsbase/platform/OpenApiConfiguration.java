package io.opsbase.platform;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;

/** The OpenAPI document at {@code /v3/api-docs}: bearer tokens for every operation. */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    @Bean
    OpenAPI opsbaseOpenApi() {
        return new OpenAPI()
                .info(new Info().title("Opsbase API").version("v1")
                        .description("CMDB, audit and administration. Authenticate with "
                                + "`Authorization: Bearer <token>`; create a token with POST /api/v1/tokens "
                                + "(HTTP Basic accepted there only). Errors are RFC 9457 problem details.")
                        .license(new License().name("Apache-2.0")))
                .components(new Components()
                        .addSecuritySchemes("bearer", new SecurityScheme().type(SecurityScheme.Type.HTTP)
                                .scheme("bearer").description("Personal access token (obt_…)"))
                        .addSecuritySchemes("basic", new SecurityScheme().type(SecurityScheme.Type.HTTP)
                                .scheme("basic").description("Only for POST /api/v1/tokens")))
                .addSecurityItem(new SecurityRequirement().addList("bearer"));
    }
}
