package io.opsbase.files;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Reading a raw upload request without touching its body. Query parameters are parsed from the
 * query string because {@code getParameter} would read (and buffer) a body sent as
 * {@code application/x-www-form-urlencoded}, which is what {@code curl --data-binary} sends.
 */
final class UploadRequests {

    private UploadRequests() {
    }

    static String queryParameter(HttpServletRequest request, String name) {
        String query = request.getQueryString();
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            if (key.equals(name)) {
                return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /** The content type to store for a raw body: a form encoding says nothing about the file. */
    static String contentType(HttpServletRequest request) {
        String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
        if (type == null || type.startsWith(MediaType.APPLICATION_FORM_URLENCODED_VALUE)) {
            return null;
        }
        return type;
    }

    static boolean isMultipart(HttpServletRequest request) {
        String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
        return type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/");
    }

    /**
     * The request body, with a failed read (the client went away mid-upload) turned into a 400
     * problem rather than a server error: the store removes the partial file either way.
     */
    static java.io.InputStream body(HttpServletRequest request) throws java.io.IOException {
        return new java.io.FilterInputStream(request.getInputStream()) {
            @Override
            public int read(byte[] b, int off, int len) {
                try {
                    return super.read(b, off, len);
                } catch (java.io.IOException e) {
                    throw new io.opsbase.platform.BadRequestException("the upload was interrupted: " + e.getMessage());
                }
            }
        };
    }

    /** Refuses before reading when the declared length already exceeds the limit. */
    static void checkDeclaredLength(HttpServletRequest request, long maxBytes) {
        if (request.getContentLengthLong() > maxBytes) {
            throw new FileTooLargeException(maxBytes);
        }
    }
}
