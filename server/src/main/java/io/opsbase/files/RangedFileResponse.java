package io.opsbase.files;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

import io.opsbase.platform.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Writes a stored file as an HTTP response with single-range support (RFC 9110 §14): {@code 206}
 * with {@code Content-Range} for a satisfiable {@code bytes=a-b}, {@code bytes=a-} or
 * {@code bytes=-n}; {@code 416} with {@code Content-Range: bytes *}/size for an unsatisfiable
 * one; the whole file (200) for no range, a multi-range or a malformed one, or an
 * {@code If-Range} that is not the current ETag. The ETag is the quoted sha256, so
 * {@code If-None-Match} answers 304 and a resumed download can send {@code If-Range} safely
 * (content never changes under its name).
 *
 * <p>The bytes go out through Tomcat's sendfile (zero-copy, {@code FileChannel.transferTo} in the
 * connector) when the connector offers it, else through {@code transferTo} onto the servlet
 * stream. Stateless; safe from any thread.
 */
final class RangedFileResponse {

    private static final Pattern SINGLE_RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");
    private static final String SENDFILE_SUPPORTED = "org.apache.tomcat.sendfile.support";
    private static final String SENDFILE_FILENAME = "org.apache.tomcat.sendfile.filename";
    private static final String SENDFILE_START = "org.apache.tomcat.sendfile.start";
    private static final String SENDFILE_END = "org.apache.tomcat.sendfile.end";

    private RangedFileResponse() {
    }

    static void write(HttpServletRequest request, HttpServletResponse response, StoredFile file, Path blob)
            throws IOException {
        String etag = "\"" + file.sha256() + "\"";
        response.setHeader(HttpHeaders.ETAG, etag);
        response.setHeader(HttpHeaders.ACCEPT_RANGES, "bytes");
        response.setHeader(HttpHeaders.CACHE_CONTROL, "private, max-age=31536000, immutable");
        String ifNoneMatch = request.getHeader(HttpHeaders.IF_NONE_MATCH);
        if (ifNoneMatch != null && (ifNoneMatch.equals("*") || ifNoneMatch.contains(etag))) {
            response.setStatus(HttpStatus.NOT_MODIFIED.value());
            return;
        }
        long size = file.size();
        long start = 0;
        long end = size - 1;
        String range = request.getHeader(HttpHeaders.RANGE);
        String ifRange = request.getHeader(HttpHeaders.IF_RANGE);
        Matcher m = range == null ? null : SINGLE_RANGE.matcher(range.strip());
        if (m != null && m.matches() && !(m.group(1).isEmpty() && m.group(2).isEmpty())
                && (ifRange == null || ifRange.equals(etag))) {
            long[] bounds = bounds(m.group(1), m.group(2), size);
            if (bounds == null) {
                response.setHeader(HttpHeaders.CONTENT_RANGE, "bytes */" + size);
                Problems.write(response, HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE, "range-not-satisfiable",
                        "the range " + range + " lies outside the file's " + size + " bytes");
                return;
            }
            start = bounds[0];
            end = bounds[1];
            response.setStatus(HttpStatus.PARTIAL_CONTENT.value());
            response.setHeader(HttpHeaders.CONTENT_RANGE, "bytes " + start + "-" + end + "/" + size);
        } else {
            response.setStatus(HttpStatus.OK.value());
        }
        response.setContentType(file.contentType());
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION,
                ContentDisposition.attachment().filename(file.name(), StandardCharsets.UTF_8).build().toString());
        long length = end - start + 1;
        response.setContentLengthLong(length);
        if ("HEAD".equals(request.getMethod()) || length == 0) {
            return;
        }
        if (Boolean.TRUE.equals(request.getAttribute(SENDFILE_SUPPORTED))) {
            request.setAttribute(SENDFILE_FILENAME, blob.toRealPath().toString());
            request.setAttribute(SENDFILE_START, start);
            request.setAttribute(SENDFILE_END, end + 1);
            return;
        }
        try (FileChannel in = FileChannel.open(blob)) {
            OutputStream out = response.getOutputStream();
            WritableByteChannel channel = Channels.newChannel(out);
            long position = start;
            while (position <= end) {
                position += in.transferTo(position, end + 1 - position, channel);
            }
            out.flush();
        }
    }

    /** [first, last] inclusive, or null when unsatisfiable. */
    private static long[] bounds(String first, String last, long size) {
        try {
            if (first.isEmpty()) {
                long suffix = Long.parseLong(last);
                if (suffix == 0 || size == 0) {
                    return null;
                }
                return new long[] {Math.max(0, size - suffix), size - 1};
            }
            long from = Long.parseLong(first);
            if (from >= size) {
                return null;
            }
            long to = last.isEmpty() ? size - 1 : Math.min(Long.parseLong(last), size - 1);
            return to < from ? null : new long[] {from, to};
        } catch (NumberFormatException e) {
            return null; // digits past a long: beyond any file
        }
    }
}
