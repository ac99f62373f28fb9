package io.opsbase.monitoring;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import io.opsbase.platform.ApiException;
import io.opsbase.platform.InvalidInputException;
import io.opsbase.web.Notice;

/**
 * The monitoring settings pages beside the alerts page: silences (create, expire) and notification channels (admin: create, test,
 * disable; with the delivery log). Forms post to these pages; a refused form comes back with the
 * service's message under each field (422).
 */
@Controller
class MonitoringSettingsPageController {

    private final AlertService alerts;
    private final NotificationService notifications;

    MonitoringSettingsPageController(AlertService alerts, NotificationService notifications) {
        this.alerts = alerts;
        this.notifications = notifications;
    }

    @GetMapping("/monitoring/silences")
    String silences(Model model) {
        model.addAttribute("silences", alerts.silences());
        model.addAttribute("form", Map.of());
        model.addAttribute("errors", Map.of());
        return "monitoring/silences";
    }

    @PostMapping("/monitoring/silences")
    String createSilence(@RequestParam Map<String, String> form, Authentication auth, Model model, RedirectAttributes redirect,
            jakarta.servlet.http.HttpServletResponse response) {
        requireWriter(auth);
        try {
            Duration duration = Durations.parse(form.get("duration"));
            if (duration == null) {
                throw new InvalidInputException("duration", "must be a duration such as 2h");
            }
            Silence s = alerts.silence(labels(form.get("matchers")), null, duration, form.get("comment"), auth.getName());
            redirect.addFlashAttribute(Notice.ATTRIBUTE, Notice.success("monitoring.notice.silenced", s.matchers().toString()));
            return "redirect:/monitoring/silences";
        } catch (InvalidInputException e) {
            response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
            model.addAttribute("errors", errors(e));
        } catch (IllegalArgumentException e) {
            response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
            model.addAttribute("errors", Map.of("matchers", "write matchers as label=value, separated by commas"));
        }
        model.addAttribute("silences", alerts.silences());
        model.addAttribute("form", form);
        return "monitoring/silences";
    }

    @PostMapping("/monitoring/silences/{id}/expire")
    String expire(@PathVariable long id, Authentication auth, RedirectAttributes redirect) {
        requireWriter(auth);
        alerts.expire(id);
        redirect.addFlashAttribute(Notice.ATTRIBUTE, Notice.success("monitoring.notice.expired", "#" + id));
        return "redirect:/monitoring/silences";
    }

    @GetMapping("/admin/notification-channels")
    String channels(Model model) {
        model.addAttribute("channels", notifications.channels());
        model.addAttribute("deliveries", notifications.deliveries(null, null, 30).items());
        model.addAttribute("form", Map.of());
        model.addAttribute("errors", Map.of());
        return "monitoring/channels";
    }

    @PostMapping("/admin/notification-channels")
    String createChannel(@RequestParam Map<String, String> form, Model model, RedirectAttributes redirect,
            jakarta.servlet.http.HttpServletResponse response) {
        try {
            NotificationChannel c = notifications.create(new ChannelInput(form.get("name"), form.get("type"), blank(form.get("target")),
                    blank(form.get("secret")), blank(form.get("minSeverity")), blank(form.get("groupWait")), blank(form.get("repeatEvery")),
                    true));
            redirect.addFlashAttribute(Notice.ATTRIBUTE, Notice.success("monitoring.notice.channelCreated", c.name()));
            return "redirect:/admin/notification-channels";
        } catch (InvalidInputException e) {
            response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
            model.addAttribute("errors", errors(e));
        } catch (ApiException e) {
            response.setStatus(e.status().value());
            model.addAttribute("errors", Map.of("name", e.getMessage()));
        }
        Map<String, String> kept = new LinkedHashMap<>(form);
        kept.remove("secret");
        model.addAttribute("channels", notifications.channels());
        model.addAttribute("deliveries", notifications.deliveries(null, null, 30).items());
        model.addAttribute("form", kept);
        return "monitoring/channels";
    }

    @PostMapping("/admin/notification-channels/{id}/test")
    String testChannel(@PathVariable long id, RedirectAttributes redirect) throws InterruptedException {
        NotificationDelivery d = notifications.test(id);
        redirect.addFlashAttribute(Notice.ATTRIBUTE, d.status().equals("sent")
                ? Notice.success("monitoring.notice.testSent", d.channel())
                : Notice.failure("monitoring.notice.testFailed", d.lastError()));
        return "redirect:/admin/notification-channels";
    }

    @PostMapping("/admin/notification-channels/{id}/disable")
    String disableChannel(@PathVariable long id, RedirectAttributes redirect) {
        notifications.disable(id);
        redirect.addFlashAttribute(Notice.ATTRIBUTE, Notice.success("monitoring.notice.channelDisabled", "#" + id));
        return "redirect:/admin/notification-channels";
    }

    /** Operators and admins change monitoring settings and handle alerts; viewers and auditors read. */
    static void requireWriter(Authentication auth) {
        boolean allowed = auth.getAuthorities().stream()
                .anyMatch(a -> a.getAuthority().equals("ROLE_ADMIN") || a.getAuthority().equals("ROLE_OPERATOR"));
        if (!allowed) {
            throw new AccessDeniedException("operators and admins change monitoring settings and handle alerts");
        }
    }

    static Map<String, String> errors(InvalidInputException e) {
        Map<String, String> out = new LinkedHashMap<>();
        e.errors().forEach(v -> out.putIfAbsent(v.field(), v.message()));
        return out;
    }

    /** {@code a=1, b = two} → {a: 1, b: two}; anything else is an IllegalArgumentException. */
    static Map<String, String> labels(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return out;
        }
        for (String pair : text.split(",")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(pair);
            }
            out.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip().replaceAll("^\"|\"$", ""));
        }
        return out;
    }

    static String blank(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
