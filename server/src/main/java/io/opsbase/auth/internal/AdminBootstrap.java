package io.opsbase.auth.internal;

import java.security.SecureRandom;
import java.util.Base64;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import io.opsbase.auth.Role;
import io.opsbase.auth.UserService;
import io.opsbase.platform.OpsbaseProperties;

/**
 * On the very first start (no users at all) creates {@code admin} with {@code OPSBASE_ADMIN_PASSWORD},
 * or with a generated password printed once to the log: the only place it ever appears.
 */
@Component
@Order(0)
class AdminBootstrap implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(AdminBootstrap.class);

    private final UserRepository users;
    private final UserService userService;
    private final OpsbaseProperties properties;

    AdminBootstrap(UserRepository users, UserService userService, OpsbaseProperties properties) {
        this.users = users;
        this.userService = userService;
        this.properties = properties;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (users.count() > 0) {
            return;
        }
        String given = properties.adminPassword();
        boolean generated = given == null || given.isBlank();
        String password = generated ? generate() : given;
        userService.create("admin", "Administrator", password, Role.ADMIN);
        if (generated) {
            log.warn("""

                    ==========================================================
                      First start: created user 'admin' with password
                      {}
                      It is shown only this once. Change it after logging in.
                    ==========================================================""", password);
        } else {
            log.info("First start: created user 'admin' with the password from OPSBASE_ADMIN_PASSWORD");
        }
    }

    private static String generate() {
        byte[] bytes = new byte[15];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
