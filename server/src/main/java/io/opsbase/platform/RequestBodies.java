package io.opsbase.platform;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.zip.GZIPInputStream;

/**
 * Request bodies sent with {@code Content-Encoding: gzip} (agents compress what they report and
 * sign the bytes as sent). Inflation is bounded, so a small compressed body cannot expand into
 * gigabytes; a body past the bound or not valid gzip is a 400 that changes nothing.
 */
public final class RequestBodies {

    private RequestBodies() {
    }

    public static byte[] decoded(byte[] body, String contentEncoding, int maxInflatedBytes) {
        if (contentEncoding == null || contentEncoding.isBlank() || contentEncoding.equalsIgnoreCase("identity")) {
            return body;
        }
        if (!contentEncoding.equalsIgnoreCase("gzip")) {
            throw new BadRequestException("Content-Encoding " + contentEncoding + " is not supported; use gzip or none");
        }
        try (var in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            byte[] inflated = in.readNBytes(maxInflatedBytes + 1);
            if (inflated.length > maxInflatedBytes) {
                throw new BadRequestException("the inflated body is larger than " + maxInflatedBytes + " bytes");
            }
            return inflated;
        } catch (IOException e) {
            throw new BadRequestException("the body is not valid gzip: " + e.getMessage());
        }
    }
}
