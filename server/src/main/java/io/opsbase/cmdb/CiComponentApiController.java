package io.opsbase.cmdb;

import java.net.URI;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.opsbase.cmdb.internal.CmdbJson;
import io.opsbase.platform.InvalidInputException;
import io.opsbase.platform.Page;
import tools.jackson.databind.JsonNode;

/** {@code /api/v1/cis/{id}/components}: hardware parts of a CI, entered by hand or replaced as a set. */
@RestController
@RequestMapping("/api/v1/cis/{ciId}/components")
class CiComponentApiController {

    private final CiComponents components;

    CiComponentApiController(CiComponents components) {
        this.components = components;
    }

    @GetMapping
    Page<CiComponent> list(@PathVariable long ciId, @RequestParam(required = false) String kind) {
        return Page.of(components.list(ciId, kind));
    }

    @PostMapping
    ResponseEntity<CiComponent> add(@PathVariable long ciId, @RequestBody ComponentSpec body, Principal principal,
            @RequestHeader(name = CiApiController.REASON_HEADER, required = false) String reason) {
        CiComponent c = components.add(ciId, body, ChangeContext.api(principal.getName(), reason));
        return ResponseEntity.created(URI.create("/api/v1/cis/" + ciId + "/components/" + c.id())).body(c);
    }

    /** Replaces every component of one kind with the given set, matched by identity. */
    @PutMapping
    ComponentDiff replace(@PathVariable long ciId, @RequestParam String kind, @RequestBody List<ComponentSpec> body,
            Principal principal, @RequestHeader(name = CiApiController.REASON_HEADER, required = false) String reason) {
        return components.replace(ciId, kind, body, ChangeContext.api(principal.getName(), reason));
    }

    /** A merge patch of {@code {"attributes": {…}}}. */
    @PatchMapping(path = "/{componentId}", consumes = {"application/merge-patch+json", "application/json"})
    CiComponent update(@PathVariable long ciId, @PathVariable long componentId, @RequestBody JsonNode body,
            Principal principal, @RequestHeader(name = CiApiController.REASON_HEADER, required = false) String reason) {
        JsonNode attributes = body.get("attributes");
        if (!body.isObject() || attributes == null || !attributes.isObject() || body.size() != 1) {
            throw new InvalidInputException("attributes", "a component patch is {\"attributes\": {…}}; kind and identity do not change");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> patch = CmdbJson.MAPPER.treeToValue(attributes, LinkedHashMap.class);
        return components.update(ciId, componentId, patch, ChangeContext.api(principal.getName(), reason));
    }

    @DeleteMapping("/{componentId}")
    ResponseEntity<Void> remove(@PathVariable long ciId, @PathVariable long componentId, Principal principal,
            @RequestHeader(name = CiApiController.REASON_HEADER, required = false) String reason) {
        components.remove(ciId, componentId, ChangeContext.api(principal.getName(), reason));
        return ResponseEntity.noContent().build();
    }
}
