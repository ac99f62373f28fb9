package io.opsbase.cmdb;

import java.io.IOException;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.opsbase.cmdb.internal.ClassRepository;
import io.opsbase.platform.BadRequestException;
import io.opsbase.platform.NotFoundException;
import jakarta.servlet.http.HttpServletResponse;

/** {@code GET /api/v1/export/{class}?format=csv|json}: every live CI of the class, streamed. */
@RestController
@RequestMapping("/api/v1")
class CiExportApiController {

    private final ClassRepository classes;
    private final CiExportWriter export;

    CiExportApiController(ClassRepository classes, CiExportWriter export) {
        this.classes = classes;
        this.export = export;
    }

    /**
     * Written straight to the response on the request thread (not an async StreamingResponseBody:
     * the stateless API chain would re-authorise the async dispatch without a security context).
     */
    @GetMapping("/export/{className}")
    void export(@PathVariable String className, @RequestParam(defaultValue = "csv") String format,
            HttpServletResponse response) throws IOException {
        CiClass ciClass = classes.findByName(className).orElseThrow(() -> new NotFoundException("Class", className));
        if (!format.equals("csv") && !format.equals("json")) {
            throw new BadRequestException("format must be csv or json");
        }
        response.setStatus(200);
        response.setContentType(format.equals("csv") ? "text/csv;charset=UTF-8" : MediaType.APPLICATION_JSON_VALUE);
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + ciClass.name() + "." + format + "\"");
        if (format.equals("csv")) {
            export.csv(ciClass, response.getOutputStream());
        } else {
            export.json(ciClass, response.getOutputStream());
        }
    }
}
