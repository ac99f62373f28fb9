package io.opsbase.monitoring;

import java.net.URI;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.opsbase.platform.Page;

/**
 * Notification channels ({@code /api/v1/notification-channels}, admin) and the delivery log
 * ({@code /api/v1/notification-deliveries}, admin and operator). Targets are answered masked.
 */
@RestController
class NotificationApiController {

    private final NotificationService notifications;

    NotificationApiController(NotificationService notifications) {
        this.notifications = notifications;
    }

    @GetMapping("/api/v1/notification-channels")
    Page<NotificationChannel> channels() {
        return Page.of(notifications.channels());
    }

    @GetMapping("/api/v1/notification-channels/{id}")
    NotificationChannel channel(@PathVariable long id) {
        return notifications.channel(id);
    }

    @PostMapping("/api/v1/notification-channels")
    ResponseEntity<NotificationChannel> create(@RequestBody ChannelInput input) {
        NotificationChannel c = notifications.create(input);
        return ResponseEntity.created(URI.create("/api/v1/notification-channels/" + c.id())).body(c);
    }

    @PutMapping("/api/v1/notification-channels/{id}")
    NotificationChannel update(@PathVariable long id, @RequestBody ChannelInput input) {
        return notifications.update(id, input);
    }

    @DeleteMapping("/api/v1/notification-channels/{id}")
    ResponseEntity<Void> disable(@PathVariable long id) {
        notifications.disable(id);
        return ResponseEntity.noContent().build();
    }

    /** Sends a test message now and answers how it went (as logged). */
    @PostMapping("/api/v1/notification-channels/{id}/test")
    NotificationDelivery test(@PathVariable long id) throws InterruptedException {
        return notifications.test(id);
    }

    @GetMapping("/api/v1/notification-deliveries")
    Page<NotificationDelivery> deliveries(@RequestParam(required = false) Long channel, @RequestParam(required = false) String cursor,
            @RequestParam(defaultValue = "50") int limit) {
        return notifications.deliveries(channel, cursor, limit);
    }
}
