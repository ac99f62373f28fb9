package io.opsbase.agents;

import java.security.Principal;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import io.opsbase.platform.InvalidInputException;
import io.opsbase.web.Notice;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code /admin/enrollment-tokens} (admins only, by the web security chain): the enrollment tokens
 * with their uses left and expiry, a form to create one, and revocation. A new token travels to the
 * next page once, as a flash attribute, together with the install command that uses it; it is
 * stored only as a hash and never shown again.
 */
@Controller
@RequestMapping("/admin/enrollment-tokens")
class EnrollmentTokenPageController {

    /** Lifetimes offered in the form; the service allows up to 30 days. */
    static final List<String> LIFETIMES = List.of("PT1H", "PT24H", "P7D", "P30D");

    private final EnrollmentTokenService tokens;
    private final Clock clock;

    EnrollmentTokenPageController(EnrollmentTokenService tokens, Clock clock) {
        this.tokens = tokens;
        this.clock = clock;
    }

    /** A freshly issued token and the one-liner that installs an agent with it. */
    record Issued(IssuedEnrollmentToken token, String installCommand) {
    }

    @GetMapping
    String list(Model model) {
        model.addAttribute("tokens", tokens.list());
        model.addAttribute("now", clock.instant());
        model.addAttribute("lifetimes", LIFETIMES);
        if (!model.containsAttribute("form")) {
            model.addAttribute("form", new Form(1, "PT24H", false, ""));
        }
        return "agents/enrollment-tokens";
    }

    /** The create form as submitted. */
    record Form(Integer uses, String expiresIn, boolean autoApprove, String description) {
    }

    @PostMapping
    String create(@RequestParam(required = false) Integer uses, @RequestParam(defaultValue = "PT24H") String expiresIn,
            @RequestParam(defaultValue = "false") boolean autoApprove, @RequestParam(defaultValue = "") String description,
            Principal principal, Model model, HttpServletResponse response, RedirectAttributes redirect) {
        Form form = new Form(uses, expiresIn, autoApprove, description);
        if (uses == null || !LIFETIMES.contains(expiresIn) || description.length() > 200) {
            return rejected(form, uses == null ? "uses" : description.length() > 200 ? "description" : "expiresIn",
                    model, response);
        }
        try {
            IssuedEnrollmentToken issued = tokens.issue(uses, Duration.parse(expiresIn), autoApprove,
                    description.isBlank() ? null : description.strip(), principal.getName());
            redirect.addFlashAttribute("issued", new Issued(issued, installCommand(issued.token())));
            return "redirect:/admin/enrollment-tokens";
        } catch (InvalidInputException e) {
            return rejected(form, e.errors().getFirst().field(), model, response);
        }
    }

    @PostMapping("/{id}/revoke")
    String revoke(@PathVariable long id, RedirectAttributes redirect) {
        tokens.revoke(id);
        redirect.addFlashAttribute(Notice.ATTRIBUTE, Notice.success("enroll.notice.revoked", "#" + id));
        return "redirect:/admin/enrollment-tokens";
    }

    /** What docs/agent.md documents: the server serves the installer, which enrolls with the token. */
    static String installCommand(String token) {
        String server = ServletUriComponentsBuilder.fromCurrentContextPath().build().toUriString();
        return "curl -fsSL " + server + "/install/agent.sh | sudo sh -s -- --server " + server + " --enroll-token " + token;
    }

    private String rejected(Form form, String field, Model model, HttpServletResponse response) {
        response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
        model.addAttribute("form", form);
        model.addAttribute("errorField", field);
        return list(model);
    }
}
