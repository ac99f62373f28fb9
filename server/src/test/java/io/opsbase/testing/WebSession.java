package io.opsbase.testing;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A browser-like session for page tests over real HTTP: keeps cookies, does not follow redirects
 * (tests assert where they go), and posts forms with the CSRF token taken from the page the form
 * is on, exactly as a browser submitting that form would.
 */
public final class WebSession {

    private static final Pattern CSRF_INPUT = Pattern.compile("<input[^>]*name=\"_csrf\"[^>]*value=\"([^\"]+)\"");
    private static final Pattern CSRF_META = Pattern.compile("<meta name=\"_csrf\" content=\"([^\"]+)\"");

    private final HttpClient http;
    private final String base;
    private final Map<String, String> headers = new LinkedHashMap<>();

    private WebSession(String base) {
        this.base = base;
        this.http = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        headers.put("Accept", "text/html,application/xhtml+xml,*/*;q=0.8");
    }

    public static WebSession at(int port) {
        return new WebSession("http://127.0.0.1:" + port);
    }

    /** Sends this header on every later request, e.g. {@code Accept-Language}. */
    public WebSession header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /** Logs in through the real form; answers the POST's response (a redirect). */
    public Page login(String username, String password) {
        return submit("/login", "/login", Map.of("username", username, "password", password));
    }

    public Page get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), Map.of());
    }

    /** GETs {@code formPage}, then posts {@code fields} to {@code action} with that page's CSRF token. */
    public Page submit(String formPage, String action, Map<String, String> fields) {
        Page page = get(formPage);
        return post(action, fields, page.csrfToken());
    }

    public Page post(String action, Map<String, String> fields, String csrfToken) {
        Map<String, String> all = new LinkedHashMap<>(fields);
        if (csrfToken != null) {
            all.put("_csrf", csrfToken);
        }
        String body = all.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(URI.create(base + action))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)), Map.of());
    }

    public Page send(HttpRequest.Builder request, Map<String, String> extraHeaders) {
        headers.forEach(request::header);
        extraHeaders.forEach(request::header);
        try {
            HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Page(r.statusCode(), r.body(), r);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    public record Page(int status, String body, HttpResponse<String> raw) {

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        /** Where a redirect points, as a path with query. */
        public String location() {
            String location = header("Location");
            return location == null ? null : URI.create(location).getRawPath()
                    + (URI.create(location).getRawQuery() == null ? "" : "?" + URI.create(location).getRawQuery());
        }

        public String csrfToken() {
            Matcher input = CSRF_INPUT.matcher(body);
            if (input.find()) {
                return input.group(1);
            }
            Matcher meta = CSRF_META.matcher(body);
            return meta.find() ? meta.group(1) : null;
        }

        @Override
        public String toString() {
            return status + " " + header("Location") + " " + (body.length() > 2000 ? body.substring(0, 2000) : body);
        }
    }
}
