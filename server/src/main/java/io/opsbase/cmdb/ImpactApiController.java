package io.opsbase.cmdb;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.opsbase.platform.BadRequestException;

/** {@code GET /api/v1/cis/{id}/impact}: what a CI's failure reaches, or what it needs. */
@RestController
@RequestMapping("/api/v1")
class ImpactApiController {

    private final ImpactService impact;

    ImpactApiController(ImpactService impact) {
        this.impact = impact;
    }

    @GetMapping("/cis/{id}/impact")
    ImpactGraph impact(@PathVariable long id, @RequestParam(defaultValue = "downstream") String direction,
            @RequestParam(defaultValue = "" + ImpactService.DEFAULT_DEPTH) int depth) {
        ImpactDirection parsed;
        try {
            parsed = ImpactDirection.of(direction);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("direction must be downstream or upstream");
        }
        return impact.analyse(id, parsed, depth);
    }
}
