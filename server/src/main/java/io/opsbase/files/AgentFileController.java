package io.opsbase.files;

import java.io.IOException;
import java.io.InputStream;
import java.security.Principal;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

import io.opsbase.protocol.AgentEndpoints;
import io.opsbase.protocol.FileUploadResponse;
import io.opsbase.protocol.signing.SignatureHeaders;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Agent file transfer, behind the agent signature filter (role AGENT).
 *
 * <p>{@code GET /api/v1/agent/files/<sha256>}, signed like any GET (digest of the empty body):
 * the file with range support, so an interrupted download resumes with
 * {@code Range: bytes=<received>-} and {@code If-Range: "<sha256>"}.
 *
 * <p>{@code POST /api/v1/agent/files?name=<file name>}: the file as the raw body, streamed; the
 * agent declares the body's SHA-256 in {@value SignatureHeaders#CONTENT_SHA256} and signs over
 * it ({@code RequestSigner.signStreamed}); the filter verifies the signature without reading the
 * body and this controller hashes it on the way to disk: a different digest is a 400
 * {@code content-digest-mismatch} and nothing is kept. 201 when new, 200 when already stored, with
 * a {@link FileUploadResponse}.
 */
@RestController
class AgentFileController {

    private final FileStore store;

    AgentFileController(FileStore store) {
        this.store = store;
    }

    @RequestMapping(path = AgentEndpoints.FILES + "/{sha256}", method = {RequestMethod.GET, RequestMethod.HEAD})
    void download(@PathVariable String sha256, HttpServletRequest request, HttpServletResponse response) throws IOException {
        StoredFile file = store.find(FileApiController.checked(sha256)).orElseThrow(() -> FileStore.notFound(sha256));
        RangedFileResponse.write(request, response, file, store.blobPath(sha256));
    }

    @PostMapping(AgentEndpoints.FILES)
    ResponseEntity<FileUploadResponse> upload(HttpServletRequest request, Principal principal) throws IOException {
        String declared = request.getHeader(SignatureHeaders.CONTENT_SHA256);
        if (!FileStore.isSha256(declared)) { // the filter already refused it; never store unchecked bytes
            throw new io.opsbase.platform.BadRequestException(SignatureHeaders.CONTENT_SHA256 + " is required");
        }
        UploadRequests.checkDeclaredLength(request, store.maxBytes());
        String name = UploadRequests.queryParameter(request, "name");
        FileStore.validName(name);
        FileUpload upload;
        try (InputStream in = UploadRequests.body(request)) {
            upload = store.store(in, name, UploadRequests.contentType(request), principal.getName(), declared);
        }
        var body = new FileUploadResponse(upload.file().sha256(), upload.file().size());
        return ResponseEntity.status(upload.created() ? HttpStatus.CREATED : HttpStatus.OK).body(body);
    }
}
