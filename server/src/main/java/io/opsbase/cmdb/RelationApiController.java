package io.opsbase.cmdb;

import java.net.URI;
import java.security.Principal;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.opsbase.platform.InvalidInputException;
import io.opsbase.platform.Page;

/** Relation types and the relations of one CI. Writes need operator or admin (API security chain). */
@RestController
@RequestMapping("/api/v1")
class RelationApiController {

    private final RelationService relations;

    RelationApiController(RelationService relations) {
        this.relations = relations;
    }

    record AddRelationRequest(String type, Long target) {
    }

    @GetMapping("/relation-types")
    Page<RelationType> types() {
        return Page.of(relations.types());
    }

    @GetMapping("/cis/{id}/relations")
    Page<Relation> list(@PathVariable long id) {
        return Page.of(relations.relationsOf(id));
    }

    @PostMapping("/cis/{id}/relations")
    ResponseEntity<Relation> add(@PathVariable long id, @RequestBody(required = false) AddRelationRequest body,
            Principal principal) {
        if (body == null) {
            throw new InvalidInputException("type", "is required");
        }
        Relation created = relations.add(id, body.type(), body.target(), ChangeContext.api(principal.getName(), null));
        return ResponseEntity.created(URI.create("/api/v1/cis/" + id + "/relations/" + created.id())).body(created);
    }

    @DeleteMapping("/cis/{id}/relations/{relationId}")
    ResponseEntity<Void> remove(@PathVariable long id, @PathVariable long relationId, Principal principal) {
        relations.remove(id, relationId, ChangeContext.api(principal.getName(), null));
        return ResponseEntity.noContent().build();
    }
}
