package io.opsbase.cmdb;

import java.io.IOException;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

import io.opsbase.platform.BadRequestException;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code /cmdb/export/{class}?format=csv|json}: the export links of the CI list, for the signed-in
 * session (the API twin, {@code /api/v1/export/{class}}, takes a token). Same files: every live CI
 * of the class, streamed; the CSV imports straight back as an update.
 */
@Controller
@RequestMapping("/cmdb/export")
class CiExportPageController {

    private final ClassCatalog classes;
    private final CiExportWriter export;

    CiExportPageController(ClassCatalog classes, CiExportWriter export) {
        this.classes = classes;
        this.export = export;
    }

    @GetMapping("/{className}")
    void export(@PathVariable String className, @RequestParam(defaultValue = "csv") String format,
            HttpServletResponse response) throws IOException {
        CiClass ciClass = classes.get(className);
        if (!format.equals("csv") && !format.equals("json")) {
            throw new BadRequestException("format must be csv or json");
        }
        response.setContentType(format.equals("csv") ? "text/csv;charset=UTF-8" : MediaType.APPLICATION_JSON_VALUE);
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + ciClass.name() + "." + format + "\"");
        if (format.equals("csv")) {
            export.csv(ciClass, response.getOutputStream());
        } else {
            export.json(ciClass, response.getOutputStream());
        }
    }
}
