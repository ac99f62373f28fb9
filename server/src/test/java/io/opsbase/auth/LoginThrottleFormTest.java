package io.opsbase.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;

import io.opsbase.audit.AuditLog;
import io.opsbase.audit.AuditQuery;
import io.opsbase.auth.internal.LoginThrottle;
import io.opsbase.testing.MutableClock;
import io.opsbase.testing.TestUsers;
import io.opsbase.testing.WebSession;

/**
 * Brute-force protection through the real login form: growing delays after failures, a lock after
 * five, the lock message on the login page, and the unlock once the clock has moved 15 minutes.
 * The delay is recorded instead of slept, and time moves by hand.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import({TestUsers.class, LoginThrottleFormTest.Fakes.class})
class LoginThrottleFormTest {

    @TestConfiguration
    static class Fakes {

        @Bean
        @Primary
        RecordingSleeper recordingSleeper() {
            return new RecordingSleeper();
        }

        @Bean
        @Primary
        MutableClock mutableClock() {
            return new MutableClock(Instant.parse("2026-03-01T08:00:00Z"));
        }
    }

    /** Remembers each requested pause and returns at once. */
    static class RecordingSleeper extends LoginThrottle.Sleeper {

        final List<Duration> pauses = new CopyOnWriteArrayList<>();

        @Override
        public void pause(Duration d) {
            pauses.add(d);
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    TestUsers testUsers;

    @Autowired
    RecordingSleeper sleeper;

    @Autowired
    MutableClock clock;

    @Autowired
    AuditLog auditLog;

    private WebSession english() {
        return WebSession.at(port).header("Accept-Language", "en");
    }

    private String loginPageAfterFailure(WebSession session, String user, String password) {
        var attempt = session.login(user, password);
        assertThat(attempt.status()).isEqualTo(302);
        assertThat(attempt.location()).isEqualTo("/login?error");
        return session.get("/login?error").body();
    }

    @Test
    void slowsDownEachFailedLoginAndShowsBadCredentials() {
        String user = testUsers.createUser(Role.OPERATOR);
        WebSession session = english();
        int before = sleeper.pauses.size();

        String page = loginPageAfterFailure(session, user, "wrong-password-1");
        assertThat(page).contains("Wrong username or password.");
        loginPageAfterFailure(session, user, "wrong-password-2");

        assertThat(sleeper.pauses.subList(before, sleeper.pauses.size()))
                .containsExactly(Duration.ofMillis(200), Duration.ofMillis(400));
    }

    @Test
    void locksTheAccountAfterFiveFailuresEvenForTheRightPassword() {
        String user = testUsers.createUser(Role.OPERATOR);
        WebSession session = english();
        for (int i = 1; i <= 4; i++) {
            assertThat(loginPageAfterFailure(session, user, "wrong-" + i)).contains("Wrong username or password.");
        }
        assertThat(loginPageAfterFailure(session, user, "wrong-5"))
                .contains("this account is locked for 15 minutes");

        assertThat(loginPageAfterFailure(english(), user, TestUsers.PASSWORD))
                .contains("this account is locked for 15 minutes");
        assertThat(auditLog.list(new AuditQuery(user, "login.locked", null, null, null, null, null, null, 10)).items())
                .hasSize(1);
    }

    @Test
    void unlocksOnceFifteenMinutesHavePassed() {
        String user = testUsers.createUser(Role.VIEWER);
        for (int i = 1; i <= 5; i++) {
            loginPageAfterFailure(english(), user, "wrong-" + i);
        }
        clock.advance(Duration.ofMinutes(14));
        loginPageAfterFailure(english(), user, TestUsers.PASSWORD);

        clock.advance(Duration.ofMinutes(2));
        WebSession session = english();
        var login = session.login(user, TestUsers.PASSWORD);
        assertThat(login.location()).isEqualTo("/");
        assertThat(session.get("/").status()).isEqualTo(200);
    }

    @Test
    void resetsTheFailureCountAfterASuccessfulLogin() {
        String user = testUsers.createUser(Role.VIEWER);
        for (int i = 1; i <= 4; i++) {
            loginPageAfterFailure(english(), user, "wrong-" + i);
        }
        assertThat(english().login(user, TestUsers.PASSWORD).location()).isEqualTo("/");
        assertThat(loginPageAfterFailure(english(), user, "wrong-again")).contains("Wrong username or password.");
        assertThat(english().login(user, TestUsers.PASSWORD).location()).isEqualTo("/");
    }

    @Test
    void treatsUnknownUsersLikeWrongPasswords() {
        assertThat(loginPageAfterFailure(english(), "nobody-" + System.nanoTime(), "whatever"))
                .contains("Wrong username or password.");
    }

    @Test
    void refusesADisabledAccountWithItsOwnMessage(@Autowired UserService users) {
        String name = testUsers.createUser(Role.VIEWER);
        var account = users.getByUsername(name);
        users.update(account.id(), account.displayName(), account.role(), false);
        assertThat(loginPageAfterFailure(english(), name, TestUsers.PASSWORD)).contains("This account is disabled.");
    }

    @Test
    void confirmsSignOut() {
        WebSession session = english();
        session.login(testUsers.createUser(Role.VIEWER), TestUsers.PASSWORD);
        var logout = session.submit("/", "/logout", java.util.Map.of());
        assertThat(logout.location()).isEqualTo("/login?logout");
        assertThat(session.get("/login?logout").body()).contains("You have been signed out.");
        assertThat(session.get("/").location()).isEqualTo("/login");
    }
}
