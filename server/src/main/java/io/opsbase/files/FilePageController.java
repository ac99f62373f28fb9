package io.opsbase.files;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import io.opsbase.platform.ConflictException;
import io.opsbase.platform.InvalidInputException;
import io.opsbase.web.Notice;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code /files}: the stored files, newest first, with an upload (operators and admins) and delete
 * (admins). The page's script sends the chosen file as the raw body of
 * {@code POST /files/upload?name=…} so the browser can show progress and the server streams it
 * to disk; the same form without the script posts it as multipart to {@code POST /files}.
 */
@Controller
@RequestMapping("/files")
class FilePageController {

    static final int PAGE_SIZE = 100;

    private final FileStore store;

    FilePageController(FileStore store) {
        this.store = store;
    }

    @GetMapping
    String list(@RequestParam(required = false) String cursor, Model model) {
        model.addAttribute("page", store.list(cursor, PAGE_SIZE));
        model.addAttribute("maxBytes", store.maxBytes());
        return "files/files";
    }

    /** The script's upload: raw body, JSON answer (the stored file and whether it was new). */
    @PostMapping("/upload")
    @ResponseBody
    ResponseEntity<Map<String, Object>> uploadRaw(HttpServletRequest request, Authentication auth) throws IOException {
        requireUploader(auth);
        UploadRequests.checkDeclaredLength(request, store.maxBytes());
        String name = UploadRequests.queryParameter(request, "name");
        FileStore.validName(name);
        FileUpload upload;
        try (InputStream in = UploadRequests.body(request)) {
            upload = store.store(in, name, UploadRequests.contentType(request), auth.getName());
        }
        return ResponseEntity.status(upload.created() ? 201 : 200)
                .body(Map.of("file", upload.file(), "created", upload.created()));
    }

    /** Without the script: a multipart form post, spooled to disk by the container. */
    @PostMapping
    String uploadForm(@RequestParam("file") org.springframework.web.multipart.MultipartFile file, Authentication auth,
            RedirectAttributes redirect) throws IOException {
        requireUploader(auth);
        try (InputStream in = file.getInputStream()) {
            FileUpload upload = store.store(in, file.getOriginalFilename(), file.getContentType(), auth.getName());
            redirect.addFlashAttribute(Notice.ATTRIBUTE, Notice.success(upload.created() ? "files.notice.uploaded"
                    : "files.notice.known", upload.file().name()));
        } catch (InvalidInputException e) {
            redirect.addFlashAttribute(Notice.ATTRIBUTE, Notice.failure("files.notice.badName", file.getOriginalFilename()));
        } catch (FileTooLargeException e) {
            redirect.addFlashAttribute(Notice.ATTRIBUTE, Notice.failure("files.notice.tooLarge", file.getOriginalFilename()));
        }
        return "redirect:/files";
    }

    @RequestMapping(path = "/{sha256}/content", method = {RequestMethod.GET, RequestMethod.HEAD})
    void content(@PathVariable String sha256, HttpServletRequest request, HttpServletResponse response) throws IOException {
        StoredFile file = store.find(sha256).orElseThrow(() -> FileStore.notFound(sha256));
        RangedFileResponse.write(request, response, file, store.blobPath(sha256));
    }

    @PostMapping("/{sha256}/delete")
    String delete(@PathVariable String sha256, Authentication auth, RedirectAttributes redirect) {
        if (auth.getAuthorities().stream().noneMatch(a -> "ROLE_ADMIN".equals(a.getAuthority()))) {
            throw new AccessDeniedException("deleting a file needs the admin role");
        }
        StoredFile file = store.find(sha256).orElseThrow(() -> FileStore.notFound(sha256));
        try {
            store.delete(sha256, auth.getName());
            redirect.addFlashAttribute(Notice.ATTRIBUTE, Notice.success("files.notice.deleted", file.name()));
        } catch (ConflictException e) {
            redirect.addFlashAttribute(Notice.ATTRIBUTE, Notice.failure("files.notice.inUse", file.name()));
        }
        return "redirect:/files";
    }

    private static void requireUploader(Authentication auth) {
        if (auth.getAuthorities().stream().noneMatch(a -> "ROLE_ADMIN".equals(a.getAuthority())
                || "ROLE_OPERATOR".equals(a.getAuthority()))) {
            throw new AccessDeniedException("uploading a file needs the operator or admin role");
        }
    }
}
