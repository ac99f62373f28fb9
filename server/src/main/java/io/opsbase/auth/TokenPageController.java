package io.opsbase.auth;

import java.security.Principal;
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

import io.opsbase.platform.InvalidInputException;
import io.opsbase.web.Notice;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code /tokens}: the signed-in user's personal access tokens. A new token's secret travels to
 * the next page once, as a flash attribute, and is never retrievable again.
 */
@Controller
@RequestMapping("/tokens")
class TokenPageController {

    /** Lifetimes offered in the form, in days; the service allows at most 366. */
    static final List<Integer> LIFETIMES = List.of(7, 30, 90, 180, 366);

    private final TokenService tokens;
    private final UserService users;

    TokenPageController(TokenService tokens, UserService users) {
        this.tokens = tokens;
        this.users = users;
    }

    @GetMapping
    String list(Principal principal, Model model) {
        UserAccount me = users.getByUsername(principal.getName());
        model.addAttribute("tokens", tokens.listFor(me.id()));
        model.addAttribute("lifetimes", LIFETIMES);
        if (!model.containsAttribute("lifetime")) {
            model.addAttribute("lifetime", 90);
        }
        return "auth/tokens";
    }

    @PostMapping
    String create(@RequestParam(defaultValue = "") String name, @RequestParam(defaultValue = "90") int lifetime,
            Principal principal, Model model, HttpServletResponse response, RedirectAttributes redirect) {
        UserAccount me = users.getByUsername(principal.getName());
        if (name.isBlank() || !LIFETIMES.contains(lifetime)) {
            return rejected(name.isBlank() ? "name" : "lifetime", name, lifetime, principal, model, response);
        }
        try {
            IssuedToken issued = tokens.issue(me.id(), name, Duration.ofDays(lifetime));
            redirect.addFlashAttribute("issued", issued);
            return "redirect:/tokens";
        } catch (InvalidInputException e) {
            return rejected(e.errors().getFirst().field().equals("name") ? "name" : "lifetime", name, lifetime,
                    principal, model, response);
        }
    }

    @PostMapping("/{id}/revoke")
    String revoke(@PathVariable long id, Principal principal, RedirectAttributes redirect) {
        UserAccount me = users.getByUsername(principal.getName());
        // Owner only, even for admins: this page manages one's own tokens.
        tokens.revoke(me.id(), id, false);
        redirect.addFlashAttribute(Notice.ATTRIBUTE, Notice.success("tokens.notice.revoked", Long.toString(id)));
        return "redirect:/tokens";
    }

    private String rejected(String field, String name, int lifetime, Principal principal, Model model,
            HttpServletResponse response) {
        response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
        model.addAttribute("errorField", field);
        model.addAttribute("name", name);
        model.addAttribute("lifetime", lifetime);
        return list(principal, model);
    }
}
