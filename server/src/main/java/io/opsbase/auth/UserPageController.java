package io.opsbase.auth;

import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import io.opsbase.platform.ConflictException;
import io.opsbase.platform.InvalidInputException;
import io.opsbase.web.Notice;
import jakarta.servlet.http.HttpServletResponse;

/** {@code /admin/users}: administrators list, create, re-role, disable and reset passwords of users. */
@Controller
@RequestMapping("/admin/users")
class UserPageController {

    private static final int MAX_DISPLAY_NAME = 200;

    private final UserService users;

    UserPageController(UserService users) {
        this.users = users;
    }

    /** The create form as typed, kept so a rejected submission can be shown again. */
    record NewUserForm(String username, String displayName, String role) {
    }

    @GetMapping
    String list(Model model) {
        if (!model.containsAttribute("form")) {
            model.addAttribute("form", new NewUserForm("", "", Role.OPERATOR.key()));
        }
        model.addAttribute("users", users.list());
        model.addAttribute("roles", Role.values());
        return "auth/users";
    }

    @PostMapping
    String create(@RequestParam String username, @RequestParam(defaultValue = "") String displayName,
            @RequestParam String password, @RequestParam String role, Model model, HttpServletResponse response,
            RedirectAttributes redirect) {
        Map<String, String> errors = new LinkedHashMap<>();
        // The column holds 200 characters; the service does not check it, so the page does.
        if (displayName.strip().length() > MAX_DISPLAY_NAME) {
            errors.put("displayName", "users.invalid.displayName");
        } else {
            try {
                UserAccount created = users.create(username.strip(), displayName.strip(), password, RoleInput.parse(role));
                redirect.addFlashAttribute(Notice.ATTRIBUTE, Notice.success("users.notice.created", created.username()));
                return "redirect:/admin/users";
            } catch (InvalidInputException e) {
                e.errors().forEach(v -> errors.putIfAbsent(v.field(), "users.invalid." + v.field()));
            } catch (ConflictException e) {
                errors.put("username", "users.invalid.duplicate");
            }
        }
        response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
        model.addAttribute("form", new NewUserForm(username, displayName, role));
        model.addAttribute("errors", errors);
        model.addAttribute("createOpen", true);
        return list(model);
    }

    @PostMapping("/{id}/role")
    String changeRole(@PathVariable long id, @RequestParam String role, Principal principal, RedirectAttributes redirect) {
        UserAccount user = users.get(id);
        Role newRole = RoleInput.parse(role);
        return apply(redirect, user, principal, newRole, user.enabled(), "users.notice.roleChanged");
    }

    @PostMapping("/{id}/enabled")
    String setEnabled(@PathVariable long id, @RequestParam boolean enabled, Principal principal,
            RedirectAttributes redirect) {
        UserAccount user = users.get(id);
        return apply(redirect, user, principal, user.role(), enabled,
                enabled ? "users.notice.enabled" : "users.notice.disabled");
    }

    @PostMapping("/{id}/password")
    String resetPassword(@PathVariable long id, @RequestParam String password, RedirectAttributes redirect) {
        UserAccount user = users.get(id);
        try {
            users.changePassword(id, password);
            redirect.addFlashAttribute(Notice.ATTRIBUTE, Notice.success("users.notice.passwordReset", user.username()));
        } catch (InvalidInputException e) {
            redirect.addFlashAttribute(Notice.ATTRIBUTE, Notice.failure("users.invalid.password", user.username()));
        }
        return "redirect:/admin/users";
    }

    private String apply(RedirectAttributes redirect, UserAccount user, Principal principal, Role role, boolean enabled,
            String noticeKey) {
        try {
            SelfLockoutGuard.check(user, principal.getName(), role, enabled);
            users.update(user.id(), user.displayName(), role, enabled);
            redirect.addFlashAttribute(Notice.ATTRIBUTE, Notice.success(noticeKey, user.username()));
        } catch (ConflictException e) {
            redirect.addFlashAttribute(Notice.ATTRIBUTE, Notice.failure("users.invalid.self", user.username()));
        }
        return "redirect:/admin/users";
    }
}
