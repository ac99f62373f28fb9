package io.opsbase.cmdb;

import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.opsbase.platform.InvalidInputException.FieldViolation;
import io.opsbase.platform.Problems;
import jakarta.servlet.http.HttpServletRequest;

/**
 * {@code POST /api/v1/import/{class}?dryRun=true|false} with a {@code text/csv} body. A dry run
 * answers 200 with the report whether or not rows are bad. A commit answers 200 with the report
 * when every row was written, or 422 (problem+json, nothing written) listing every bad line.
 */
@RestController
@RequestMapping("/api/v1")
class CiImportApiController {

    private final CiImportService imports;

    CiImportApiController(CiImportService imports) {
        this.imports = imports;
    }

    @PostMapping(path = "/import/{className}", consumes = {"text/csv", "text/plain", "application/csv"})
    ResponseEntity<Object> importCsv(@PathVariable String className, @RequestParam(defaultValue = "true") boolean dryRun,
            HttpServletRequest request, Principal principal) throws IOException {
        CiImportReport report;
        try (var reader = new InputStreamReader(request.getInputStream(), StandardCharsets.UTF_8)) {
            report = imports.importCsv(className, reader, dryRun, new ChangeContext(principal.getName(), "import", null));
        }
        if (dryRun || report.valid()) {
            return ResponseEntity.ok(report);
        }
        ProblemDetail problem = Problems.of(HttpStatus.UNPROCESSABLE_CONTENT, "validation",
                report.errors().size() + " line(s) are invalid; nothing was imported");
        List<FieldViolation> flat = report.errors().stream()
                .flatMap(l -> l.errors().stream().map(v -> new FieldViolation("line " + l.line() + ": " + v.field(), v.message())))
                .toList();
        problem.setProperty("errors", flat);
        problem.setProperty("lines", report.errors());
        problem.setProperty("report", report);
        return ResponseEntity.status(HttpStatus.UNPROCESSABLE_CONTENT).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }
}
