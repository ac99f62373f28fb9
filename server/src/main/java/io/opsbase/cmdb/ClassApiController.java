package io.opsbase.cmdb;

import java.net.URI;
import java.security.Principal;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.opsbase.platform.Page;

/** {@code /api/v1/classes}: the CMDB schema. Everyone reads; only admins write (security configuration). */
@RestController
@RequestMapping("/api/v1/classes")
class ClassApiController {

    private final ClassCatalog catalog;

    ClassApiController(ClassCatalog catalog) {
        this.catalog = catalog;
    }

    /** Fields left out (null) stay as they are. */
    record ClassPatch(String label, String description, Lifecycle lifecycle) {
    }

    @GetMapping
    Page<CiClass> list() {
        return Page.of(catalog.list());
    }

    @GetMapping("/{name}")
    ResponseEntity<CiClass> get(@PathVariable String name) {
        CiClass c = catalog.get(name);
        return ResponseEntity.ok().eTag(etag(c)).body(c);
    }

    @PostMapping
    ResponseEntity<CiClass> create(@RequestBody NewClass body, Principal principal) {
        CiClass c = catalog.create(body, ChangeContext.api(principal.getName(), null));
        return ResponseEntity.created(URI.create("/api/v1/classes/" + c.name())).eTag(etag(c)).body(c);
    }

    @PatchMapping(path = "/{name}", consumes = {"application/merge-patch+json", "application/json"})
    ResponseEntity<CiClass> update(@PathVariable String name, @RequestBody ClassPatch body, Principal principal,
            @RequestHeader(name = "If-Match", required = false) String ifMatch) {
        CiClass c = catalog.update(name, body.label(), body.description(), body.lifecycle(),
                CiApiController.version(ifMatch), ChangeContext.api(principal.getName(), null));
        return ResponseEntity.ok().eTag(etag(c)).body(c);
    }

    @PostMapping("/{name}/attributes")
    ResponseEntity<CiClass> addAttribute(@PathVariable String name, @RequestBody NewAttribute body, Principal principal) {
        CiClass c = catalog.addAttribute(name, body, ChangeContext.api(principal.getName(), null));
        return ResponseEntity.created(URI.create("/api/v1/classes/" + name)).eTag(etag(c)).body(c);
    }

    @DeleteMapping("/{name}/attributes/{attribute}")
    ResponseEntity<Void> removeAttribute(@PathVariable String name, @PathVariable String attribute, Principal principal) {
        catalog.removeAttribute(name, attribute, ChangeContext.api(principal.getName(), null));
        return ResponseEntity.noContent().build();
    }

    private static String etag(CiClass c) {
        return "\"" + c.version() + "\"";
    }
}
