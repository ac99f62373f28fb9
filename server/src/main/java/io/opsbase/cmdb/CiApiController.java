package io.opsbase.cmdb;

import java.net.URI;
import java.security.Principal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.opsbase.cmdb.internal.CmdbJson;
import io.opsbase.platform.BadRequestException;
import io.opsbase.platform.InvalidInputException;
import io.opsbase.platform.Page;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import tools.jackson.databind.JsonNode;

/**
 * {@code /api/v1/cis}: configuration items, their lifecycle transitions and history. The
 * {@code ETag} is the CI version; writes honour {@code If-Match}; an optional
 * {@code X-Change-Reason} header becomes the history reason.
 */
@RestController
@RequestMapping("/api/v1")
class CiApiController {

    static final String REASON_HEADER = "X-Change-Reason";

    private final CiService cis;
    private final CiSearch search;
    private final CiHistory history;

    CiApiController(CiService cis, CiSearch search, CiHistory history) {
        this.cis = cis;
        this.search = search;
        this.history = history;
    }

    record TransitionRequest(String to, String reason) {
    }

    @PostMapping("/cis")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(schema = @Schema(implementation = CreateCi.class)))
    ResponseEntity<ConfigurationItem> create(@RequestBody JsonNode body, Principal principal,
            @RequestHeader(name = REASON_HEADER, required = false) String reason) {
        ConfigurationItem ci = cis.create(createRequest(body), ChangeContext.api(principal.getName(), reason));
        return ResponseEntity.created(URI.create("/api/v1/cis/" + ci.id())).eTag(etag(ci)).body(ci);
    }

    @GetMapping("/cis")
    Page<ConfigurationItem> list(@RequestParam MultiValueMap<String, String> parameters) {
        return search.search(CiQuery.fromParameters(parameters));
    }

    @GetMapping("/cis/{id}")
    ResponseEntity<ConfigurationItem> get(@PathVariable long id, @RequestParam(required = false) String at,
            @RequestHeader(name = "If-None-Match", required = false) String ifNoneMatch) {
        ConfigurationItem ci = at == null ? cis.get(id) : cis.getAt(id, instant("at", at));
        if (at == null && ifNoneMatch != null && ifNoneMatch.strip().replace("W/", "").equals(etag(ci))) {
            return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(etag(ci)).build();
        }
        return ResponseEntity.ok().eTag(etag(ci)).body(ci);
    }

    @PatchMapping(path = "/cis/{id}", consumes = {"application/merge-patch+json", "application/json"})
    ResponseEntity<ConfigurationItem> patch(@PathVariable long id, @RequestBody JsonNode body, Principal principal,
            @RequestHeader(name = "If-Match", required = false) String ifMatch,
            @RequestHeader(name = REASON_HEADER, required = false) String reason) {
        if (!body.isObject()) {
            throw new InvalidInputException("", "a JSON merge patch must be an object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> patch = CmdbJson.MAPPER.treeToValue(body, LinkedHashMap.class);
        ConfigurationItem ci = cis.update(id, patch, version(ifMatch), ChangeContext.api(principal.getName(), reason));
        return ResponseEntity.ok().eTag(etag(ci)).body(ci);
    }

    @DeleteMapping("/cis/{id}")
    ResponseEntity<Void> retire(@PathVariable long id, Principal principal,
            @RequestHeader(name = "If-Match", required = false) String ifMatch,
            @RequestHeader(name = REASON_HEADER, required = false) String reason) {
        cis.retire(id, version(ifMatch), ChangeContext.api(principal.getName(), reason));
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/cis/{id}/transitions")
    ResponseEntity<ConfigurationItem> transition(@PathVariable long id, @RequestBody TransitionRequest body,
            Principal principal, @RequestHeader(name = "If-Match", required = false) String ifMatch) {
        ConfigurationItem ci = cis.transition(id, body.to(), version(ifMatch), ChangeContext.api(principal.getName(), body.reason()));
        return ResponseEntity.ok().eTag(etag(ci)).body(ci);
    }

    @GetMapping("/cis/{id}/history")
    Page<HistoryEntry> history(@PathVariable long id, @RequestParam(required = false) String cursor,
            @RequestParam(defaultValue = "50") int limit) {
        return history.forCi(id, cursor, limit);
    }

    @GetMapping("/history")
    Page<HistoryEntry> feed(@RequestParam(required = false) String after, @RequestParam(defaultValue = "100") int limit) {
        return history.feed(after, limit);
    }

    /**
     * Reads the create body strictly: a field the CI does not have (often an attribute put at the
     * top level by mistake) is a 422, not silently dropped.
     */
    private static CreateCi createRequest(JsonNode body) {
        if (!body.isObject()) {
            throw new InvalidInputException("", "a CI is a JSON object");
        }
        var unknown = body.propertyNames().stream().filter(n -> !CREATE_FIELDS.contains(n))
                .map(n -> new InvalidInputException.FieldViolation(n, "is not a CI field; attributes go in \"attributes\""))
                .toList();
        if (!unknown.isEmpty()) {
            throw new InvalidInputException(unknown);
        }
        try {
            return CmdbJson.MAPPER.treeToValue(body, CreateCi.class);
        } catch (tools.jackson.core.JacksonException e) {
            throw new BadRequestException("The body is not a CI: class, name, ownerTeam and state are strings, "
                    + "attributes an object, tags an array of strings");
        }
    }

    private static final java.util.Set<String> CREATE_FIELDS = java.util.Set.of("class", "name", "attributes", "ownerTeam",
            "tags", "state");

    static String etag(ConfigurationItem ci) {
        return "\"" + ci.version() + "\"";
    }

    /** {@code If-Match: "3"} (or W/"3", or 3) → 3; {@code *} or absent → no check. */
    static Integer version(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.strip().equals("*")) {
            return null;
        }
        String v = ifMatch.strip();
        if (v.startsWith("W/")) {
            v = v.substring(2);
        }
        v = v.replace("\"", "");
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new BadRequestException("If-Match must be an ETag this API issued, like \"3\"");
        }
    }

    static Instant instant(String parameter, String value) {
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw new BadRequestException(parameter + " must be an ISO-8601 instant like 2026-01-31T12:00:00Z");
        }
    }
}
