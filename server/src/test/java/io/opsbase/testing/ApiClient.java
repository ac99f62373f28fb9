package io.opsbase.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real HTTP client for API tests against the server on its random port: every request passes
 * the whole filter chain (request id, security, problem mapping) exactly as in production.
 */
public final class ApiClient {

    public static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newHttpClient();
    private final String base;
    private final Map<String, String> headers = new LinkedHashMap<>();

    private ApiClient(String base) {
        this.base = base;
    }

    public static ApiClient at(int port) {
        return new ApiClient("http://127.0.0.1:" + port);
    }

    public ApiClient withBearer(String token) {
        ApiClient c = new ApiClient(base);
        c.headers.putAll(headers);
        c.headers.put("Authorization", "Bearer " + token);
        return c;
    }

    public ApiClient withBasic(String user, String password) {
        ApiClient c = new ApiClient(base);
        c.headers.putAll(headers);
        c.headers.put("Authorization", "Basic "
                + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        return c;
    }

    public ApiClient withHeader(String name, String value) {
        ApiClient c = new ApiClient(base);
        c.headers.putAll(headers);
        c.headers.put(name, value);
        return c;
    }

    public Response get(String path) {
        return send("GET", path, null);
    }

    public Response delete(String path) {
        return send("DELETE", path, null);
    }

    /** {@code body} is a JSON string, or any object to serialise. */
    public Response post(String path, Object body) {
        return send("POST", path, body);
    }

    public Response patch(String path, Object body) {
        return send("PATCH", path, body);
    }

    public Response put(String path, Object body) {
        return send("PUT", path, body);
    }

    public Response send(String method, String path, Object body) {
        String json = body == null ? null : body instanceof String s ? s : JSON.writeValueAsString(body);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", method.equals("PATCH") ? "application/merge-patch+json" : "application/json");
        }
        headers.forEach(b::header);
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body(), r);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public record Response(int status, String body, HttpResponse<String> raw) {

        public JsonNode json() {
            return JSON.readTree(body);
        }

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        public String contentType() {
            return header("Content-Type");
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }
}
