package io.opsbase.discovery.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.QueryTimeoutException;

class TransientRetryTest {

    @Test
    void runsATransactionAgainAfterALockTimeoutAndReturnsItsResult() {
        AtomicInteger calls = new AtomicInteger();
        String result = TransientRetry.run("report", () -> {
            if (calls.incrementAndGet() < 3) {
                throw new CannotAcquireLockException("Timeout trying to lock table");
            }
            return "accepted";
        });
        assertThat(result).isEqualTo("accepted");
        assertThat(calls).hasValue(3);
    }

    @Test
    void givesUpAfterThreeAttempts() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> TransientRetry.run("report", () -> {
            calls.incrementAndGet();
            throw new QueryTimeoutException("lock wait");
        })).isInstanceOf(QueryTimeoutException.class);
        assertThat(calls).hasValue(3);
    }

    @Test
    void doesNotRepeatAFailureARetryCannotClear() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> TransientRetry.run("report", () -> {
            calls.incrementAndGet();
            throw new DataIntegrityViolationException("duplicate key");
        })).isInstanceOf(DataIntegrityViolationException.class);
        assertThat(calls).hasValue(1);
    }
}
