package io.opsbase.cmdb;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import io.opsbase.web.Notice;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

/**
 * {@code /cmdb/import}: CSV import into one class from the browser. Uploading runs a dry run
 * ({@link CiImportService}) and shows the first rows and every bad line; the file waits in
 * {@link CiImportUploads} and the commit button imports that same file, validating it again.
 * The template link answers the header row a class's CSV needs. Operators and admins import
 * (as on the API); everyone signed in may download a template.
 */
@Controller
@RequestMapping("/cmdb/import")
class CiImportPageController {

    static final int PREVIEW_ROWS = 10;

    private final CiImportService imports;
    private final CiImportUploads uploads;
    private final ClassCatalog classes;

    CiImportPageController(CiImportService imports, CiImportUploads uploads, ClassCatalog classes) {
        this.imports = imports;
        this.uploads = uploads;
        this.classes = classes;
    }

    @GetMapping
    String form(@RequestParam(name = "class", required = false) String className, Authentication auth, Model model) {
        CiPageController.requireWriter(auth);
        return page(model, className, null, null, null);
    }

    @PostMapping
    String dryRun(@RequestParam(name = "class", defaultValue = "") String className,
            @RequestParam(required = false) MultipartFile file, Authentication auth, HttpSession session, Model model,
            HttpServletResponse response) throws IOException {
        CiPageController.requireWriter(auth);
        String problem = className.isBlank() || findClass(className) == null ? "cmdb.import.error.class"
                : file == null || file.isEmpty() ? "cmdb.import.error.file"
                : file.getSize() > CiImportUploads.MAX_BYTES ? "cmdb.import.error.size" : null;
        if (problem != null) {
            response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
            model.addAttribute("uploadError", problem);
            return page(model, className, null, null, null);
        }
        byte[] content = file.getBytes();
        String text = new String(content, StandardCharsets.UTF_8);
        CiImportReport report = imports.importCsv(className, new StringReader(text), true,
                new ChangeContext(auth.getName(), "import", null));
        CiImportUploads.Pending pending = uploads.keep(session, className, file.getOriginalFilename(), content);
        return page(model, className, report, preview(text, report), pending);
    }

    @PostMapping("/commit")
    String commit(@RequestParam(defaultValue = "") String token, Authentication auth, HttpSession session,
            Model model, HttpServletResponse response, RedirectAttributes redirect) {
        CiPageController.requireWriter(auth);
        var pending = uploads.take(session, token);
        if (pending.isEmpty()) {
            redirect.addFlashAttribute(Notice.ATTRIBUTE, Notice.failure("cmdb.notice.importExpired", null));
            return "redirect:/cmdb/import";
        }
        String text = new String(pending.get().content(), StandardCharsets.UTF_8);
        String className = pending.get().className();
        CiImportReport report = imports.importCsv(className, new StringReader(text), false,
                new ChangeContext(auth.getName(), "import", reason(pending.get().fileName())));
        if (!report.committed()) {
            // The estate changed since the dry run: show what is wrong now; the file must be uploaded again.
            response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
            return page(model, className, report, preview(text, report), null);
        }
        redirect.addFlashAttribute("committedReport", report);
        redirect.addFlashAttribute(Notice.ATTRIBUTE, Notice.success("cmdb.notice.imported", className));
        return "redirect:/cmdb/import?class=" + className;
    }

    /** The header row an import of the class reads: CI fields, then attributes. Add {@code id} to update. */
    @GetMapping("/template")
    ResponseEntity<String> template(@RequestParam(name = "class") String className) {
        CiClass ciClass = classes.get(className);
        List<String> header = new ArrayList<>(List.of("name", "state", "owner_team", "tags"));
        ciClass.attributes().forEach(a -> header.add(a.name()));
        return ResponseEntity.ok()
                .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + ciClass.name() + "-template.csv\"")
                .body(CiImportCsv.line(header) + "\r\n");
    }

    /** The first rows of the file as the preview table shows them; bad lines are marked. */
    record Preview(List<String> header, List<PreviewRow> rows, int more) {
    }

    record PreviewRow(int line, List<String> cells, boolean bad) {
    }

    private static Preview preview(String text, CiImportReport report) {
        List<CiImportCsv.Record> records;
        try {
            records = CiImportCsv.read(new StringReader(text));
        } catch (CiImportCsv.MalformedCsvException e) {
            return null;
        }
        if (records.isEmpty()) {
            return null;
        }
        Set<Integer> bad = new HashSet<>();
        report.errors().forEach(e -> bad.add(e.line()));
        List<PreviewRow> rows = records.stream().skip(1).limit(PREVIEW_ROWS)
                .map(r -> new PreviewRow(r.line(), r.cells(), bad.contains(r.line()))).toList();
        return new Preview(records.getFirst().cells(), rows, Math.max(0, records.size() - 1 - PREVIEW_ROWS));
    }

    private String page(Model model, String className, CiImportReport report, Preview preview,
            CiImportUploads.Pending pending) {
        model.addAttribute("classes", classes.list());
        model.addAttribute("ciClass", className == null ? null : findClass(className));
        model.addAttribute("report", report);
        model.addAttribute("preview", preview);
        model.addAttribute("pending", pending);
        model.addAttribute("maxMegabytes", CiImportUploads.MAX_BYTES / (1024 * 1024));
        return "cmdb/import";
    }

    /** The history reason of a web import: the file's name, as the browser sent it, kept short. */
    private static String reason(String fileName) {
        if (fileName == null || fileName.isBlank()) {
            return null;
        }
        return fileName.length() > 200 ? fileName.substring(0, 200) : fileName;
    }

    private CiClass findClass(String name) {
        return classes.list().stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
    }
}
