package io.opsbase.platform;

import java.lang.management.ManagementFactory;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Warns at start when the process may not open as many files as its configured connections need.
 * Every connection Tomcat holds — an agent's long-poll, a batch being sent — is an open file, as
 * are the store's segments, the database and the jars; past the limit, accepting a connection
 * fails with "Too many open files" and agents fall back to retrying. With the shipped
 * {@code server.tomcat.max-connections} (18,000, enough for 10,000 agents' long-polls and their
 * batches) the process needs an open-files limit of at least 19,000 ({@code ulimit -n},
 * {@code LimitNOFILE=} in a systemd unit); see docs/operations.md.
 */
@Component
class OpenFilesCheck {

    /** Open files kept for everything that is not a connection: store, WAL, database, jars, logs. */
    static final int RESERVED_FILES = 1_000;

    private static final Logger log = LoggerFactory.getLogger(OpenFilesCheck.class);

    private final Environment environment;

    OpenFilesCheck(Environment environment) {
        this.environment = environment;
    }

    @EventListener(ApplicationReadyEvent.class)
    void check() {
        int maxConnections = environment.getProperty("server.tomcat.max-connections", Integer.class, 8_192);
        long limit = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix
                ? unix.getMaxFileDescriptorCount() : -1;
        warning(limit, maxConnections).ifPresentOrElse(log::warn,
                () -> log.info("Open-files limit {} for server.tomcat.max-connections={} (+{} other files)", limit, maxConnections,
                        RESERVED_FILES));
    }

    /** The warning to log, if the open-files limit (negative when unknown) is below what the connections need. */
    static Optional<String> warning(long openFilesLimit, int maxConnections) {
        if (openFilesLimit < 0 || maxConnections < 0) {
            return Optional.empty(); // not a Unix JVM, or max-connections -1 (unlimited): nothing to compare
        }
        long needed = (long) maxConnections + RESERVED_FILES;
        if (openFilesLimit >= needed) {
            return Optional.empty();
        }
        return Optional.of(("The open-files limit of this process is %d, below the %d that server.tomcat.max-connections=%d needs "
                + "(one per connection plus %d for the store, database and jars): past about %d connections, accepting one fails "
                + "with \"Too many open files\". Raise the limit (ulimit -n %d, or LimitNOFILE=%d in the systemd unit) or lower "
                + "server.tomcat.max-connections to at most %d.")
                .formatted(openFilesLimit, needed, maxConnections, RESERVED_FILES, Math.max(0, openFilesLimit - RESERVED_FILES),
                        needed, needed, Math.max(0, openFilesLimit - RESERVED_FILES)));
    }
}
