package io.opsbase.platform;

import org.apache.coyote.UpgradeProtocol;
import org.apache.coyote.http2.Http2Protocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * HTTP/2 over cleartext when {@code server.http2.enabled} is on (off by default): a client may
 * upgrade its connection with {@code Upgrade: h2c} and then carry many requests on it at once.
 * Agents behind a proxy that multiplexes them, or a fleet larger than the server's open-files limit
 * allows as one connection each, then hold their long-polls as streams of a few connections.
 * Tomcat allows 100 concurrent streams per connection and 20 of them running at once; a connection
 * carrying the long-polls of hundreds of agents needs more, so both are
 * {@code opsbase.http2.max-concurrent-streams}. It stays off by default because Tomcat answers 413
 * to an upgrade request with a body over 4 KB, the first request an HTTP/2-first client (the JDK's
 * {@code HttpClient}) sends on a new connection.
 */
@Configuration(proxyBeanMethods = false)
class Http2Configuration {

    private static final Logger log = LoggerFactory.getLogger(Http2Configuration.class);

    @Bean
    TomcatConnectorCustomizer http2Streams(@Value("${opsbase.http2.max-concurrent-streams:1000}") int maxStreams) {
        if (maxStreams < 1) {
            throw new IllegalArgumentException("opsbase.http2.max-concurrent-streams must be at least 1, not " + maxStreams);
        }
        return connector -> {
            for (UpgradeProtocol protocol : connector.findUpgradeProtocols()) {
                if (protocol instanceof Http2Protocol http2) {
                    http2.setMaxConcurrentStreams(maxStreams);
                    http2.setMaxConcurrentStreamExecution(maxStreams);
                    log.info("HTTP/2 (h2c) on port {}: up to {} concurrent streams per connection", connector.getPort(), maxStreams);
                }
            }
        };
    }
}
