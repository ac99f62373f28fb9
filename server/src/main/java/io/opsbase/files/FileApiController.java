package io.opsbase.files;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.security.Principal;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.multipart.MultipartHttpServletRequest;
import org.springframework.web.util.WebUtils;

import io.opsbase.platform.BadRequestException;
import io.opsbase.platform.InvalidInputException;
import io.opsbase.platform.Page;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code /api/v1/files}: operators and admins upload, every role reads, admins delete (see the
 * security configuration).
 *
 * <p>Upload with the file as the raw body ({@code POST /api/v1/files?name=report.pdf}, any
 * content type; streamed to disk, never held in memory), or as the part {@code file} of a
 * {@code multipart/form-data} body (which the servlet container spools to disk first and limits
 * by {@code spring.servlet.multipart.max-file-size}; use the raw form for large files). 201 when
 * the content is new, 200 when it was already stored; the body is the stored file.
 */
@RestController
@RequestMapping("/api/v1/files")
class FileApiController {

    static final int MAX_PAGE = 500;

    private final FileStore store;

    FileApiController(FileStore store) {
        this.store = store;
    }

    @PostMapping
    ResponseEntity<StoredFile> upload(HttpServletRequest request, Principal principal) throws IOException {
        FileUpload upload;
        String name = UploadRequests.queryParameter(request, "name");
        if (UploadRequests.isMultipart(request)) {
            MultipartHttpServletRequest multipart = WebUtils.getNativeRequest(request, MultipartHttpServletRequest.class);
            MultipartFile part = multipart == null ? null : multipart.getFile("file");
            if (part == null) {
                throw new InvalidInputException("file", "a multipart upload carries the file in a part named file");
            }
            try (InputStream in = part.getInputStream()) {
                upload = store.store(in, name != null ? name : part.getOriginalFilename(), part.getContentType(),
                        principal.getName());
            }
        } else {
            UploadRequests.checkDeclaredLength(request, store.maxBytes());
            FileStore.validName(name); // before reading a byte
            try (InputStream in = UploadRequests.body(request)) {
                upload = store.store(in, name, UploadRequests.contentType(request), principal.getName());
            }
        }
        return upload.created()
                ? ResponseEntity.created(URI.create("/api/v1/files/" + upload.file().sha256())).body(upload.file())
                : ResponseEntity.ok(upload.file());
    }

    @GetMapping
    Page<StoredFile> list(@RequestParam(required = false) String cursor, @RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new InvalidInputException("limit", "between 1 and " + MAX_PAGE);
        }
        return store.list(cursor, limit);
    }

    @GetMapping("/{sha256}")
    StoredFile get(@PathVariable String sha256) {
        return store.find(checked(sha256)).orElseThrow(() -> FileStore.notFound(sha256));
    }

    @RequestMapping(path = "/{sha256}/content", method = {RequestMethod.GET, RequestMethod.HEAD})
    void content(@PathVariable String sha256, HttpServletRequest request, HttpServletResponse response) throws IOException {
        StoredFile file = get(sha256);
        RangedFileResponse.write(request, response, file, store.blobPath(sha256));
    }

    @DeleteMapping("/{sha256}")
    ResponseEntity<Void> delete(@PathVariable String sha256, Principal principal) {
        store.delete(checked(sha256), principal.getName());
        return ResponseEntity.noContent().build();
    }

    static String checked(String sha256) {
        if (!FileStore.isSha256(sha256)) {
            throw new BadRequestException("a file is named by its SHA-256: 64 lower-case hex characters");
        }
        return sha256;
    }
}
