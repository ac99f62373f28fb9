package io.opsbase.monitoring.internal;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.mail.MailException;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.stereotype.Component;

import io.opsbase.monitoring.MonitoringProperties;
import io.opsbase.monitoring.NotificationChannel;
import io.opsbase.protocol.ProtocolJson;
import tools.jackson.databind.JsonNode;

/**
 * Sends one message to one channel in the channel type's own format:
 *
 * <ul>
 * <li>webhook: JSON {@code {kind, sentAt, alerts: […]}} signed with the channel secret —
 * {@code X-Opsbase-Timestamp} (epoch seconds) and {@code X-Opsbase-Signature: sha256=<hex HMAC-SHA256
 * of "timestamp.body">}, which the receiver checks in constant time;</li>
 * <li>DingTalk: a markdown robot message, signed as DingTalk specifies when the robot has a
 * secret ({@code timestamp} and {@code sign} query parameters); answered {@code errcode 0};</li>
 * <li>WeCom: a markdown robot message; answered {@code errcode 0};</li>
 * <li>Feishu: a text robot message with Feishu's {@code timestamp}/{@code sign} when the robot has
 * a secret; answered {@code code 0};</li>
 * <li>Slack: an incoming-webhook {@code {text}} message; answered 200;</li>
 * <li>e-mail: a plain-text mail through the SMTP server configured as {@code spring.mail.*}.</li>
 * </ul>
 *
 * Any other answer is a failure with the reason, which the dispatcher logs and retries.
 */
@Component
class ChannelSender {

    /** Sending failed; the message says why in words an operator can act on. */
    static final class DeliveryFailure extends Exception {
        DeliveryFailure(String message) {
            super(message);
        }
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).version(HttpClient.Version.HTTP_1_1).build();
    private final ObjectProvider<JavaMailSender> mail;
    private final MonitoringProperties properties;

    ChannelSender(ObjectProvider<JavaMailSender> mail, MonitoringProperties properties) {
        this.mail = mail;
        this.properties = properties;
    }

    boolean mailConfigured() {
        return mail.getIfAvailable() != null;
    }

    void send(ChannelRepository.Sendable channel, AlertMessage message) throws DeliveryFailure, InterruptedException {
        switch (channel.channel().type()) {
            case WEBHOOK -> webhook(channel, message);
            case EMAIL -> email(channel, message);
            case DINGTALK -> chat(channel, dingTalkUrl(channel), Map.of("msgtype", "markdown",
                    "markdown", Map.of("title", message.subject(), "text", message.text())), "errcode");
            case WECOM -> chat(channel, channel.target(), Map.of("msgtype", "markdown", "markdown", Map.of("content", message.text())),
                    "errcode");
            case FEISHU -> chat(channel, channel.target(), feishuBody(channel, message), "code");
            case SLACK -> chat(channel, channel.target(), Map.of("text", message.text()), null);
        }
    }

    private void webhook(ChannelRepository.Sendable channel, AlertMessage message) throws DeliveryFailure, InterruptedException {
        List<Map<String, Object>> alerts = new ArrayList<>();
        for (AlertMessage.Item i : message.items()) {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("id", i.alert().id());
            a.put("rule", i.alert().rule());
            a.put("severity", i.alert().severity().key());
            a.put("state", i.alert().state().key());
            a.put("ciId", i.alert().ciId());
            a.put("ciName", i.ciName());
            a.put("series", i.alert().series());
            a.put("labels", i.alert().labels());
            a.put("value", i.alert().value());
            a.put("noData", i.alert().noData());
            a.put("expression", i.expression());
            a.put("firedAt", i.alert().firedAt());
            a.put("resolvedAt", i.alert().resolvedAt());
            alerts.add(a);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("kind", message.kind());
        body.put("subject", message.subject());
        body.put("sentAt", message.sentAt());
        body.put("alerts", alerts);
        byte[] json = ProtocolJson.write(body);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(channel.target())).timeout(TIMEOUT)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(json));
        if (channel.secret() != null) {
            String timestamp = Long.toString(message.sentAt().getEpochSecond());
            byte[] signed = (timestamp + "." + new String(json, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
            request.header("X-Opsbase-Timestamp", timestamp)
                    .header("X-Opsbase-Signature", "sha256=" + HexFormat.of().formatHex(hmac(channel.secret(), signed)));
        }
        HttpResponse<String> response = post(request.build());
        if (response.statusCode() / 100 != 2) {
            throw new DeliveryFailure("HTTP " + response.statusCode() + " from the webhook");
        }
    }

    private void chat(ChannelRepository.Sendable channel, String url, Map<String, Object> body, String codeField)
            throws DeliveryFailure, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri(url)).timeout(TIMEOUT).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(ProtocolJson.write(body))).build();
        HttpResponse<String> response = post(request);
        if (response.statusCode() / 100 != 2) {
            throw new DeliveryFailure("HTTP " + response.statusCode() + " from " + channel.channel().type().key());
        }
        if (codeField != null) {
            JsonNode answer;
            try {
                answer = ProtocolJson.mapper().readTree(response.body());
            } catch (RuntimeException e) {
                throw new DeliveryFailure(channel.channel().type().key() + " answered something that is not JSON");
            }
            int code = answer.path(codeField).asInt(-1);
            if (code != 0) {
                String why = answer.path("errmsg").asString(answer.path("msg").asString(""));
                throw new DeliveryFailure(channel.channel().type().key() + " refused the message: " + codeField + " " + code
                        + (why.isEmpty() ? "" : " (" + why + ")"));
            }
        }
    }

    private void email(ChannelRepository.Sendable channel, AlertMessage message) throws DeliveryFailure {
        JavaMailSender sender = mail.getIfAvailable();
        if (sender == null) {
            throw new DeliveryFailure("no SMTP server is configured (spring.mail.host)");
        }
        SimpleMailMessage mailMessage = new SimpleMailMessage();
        mailMessage.setFrom(properties.mailFrom());
        mailMessage.setTo(channel.target().split("\\s*,\\s*"));
        mailMessage.setSubject(message.subject());
        mailMessage.setText(message.text().replace("**", ""));
        try {
            sender.send(mailMessage);
        } catch (MailException e) {
            throw new DeliveryFailure("SMTP: " + e.getMessage());
        }
    }

    private String dingTalkUrl(ChannelRepository.Sendable channel) {
        if (channel.secret() == null) {
            return channel.target();
        }
        long timestamp = System.currentTimeMillis();
        String sign = Base64.getEncoder().encodeToString(hmac(channel.secret(),
                (timestamp + "\n" + channel.secret()).getBytes(StandardCharsets.UTF_8)));
        return channel.target() + (channel.target().contains("?") ? "&" : "?") + "timestamp=" + timestamp + "&sign="
                + URLEncoder.encode(sign, StandardCharsets.UTF_8);
    }

    private static Map<String, Object> feishuBody(ChannelRepository.Sendable channel, AlertMessage message) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (channel.secret() != null) {
            String timestamp = Long.toString(message.sentAt().getEpochSecond());
            // Feishu: HMAC-SHA256 keyed with "timestamp\nsecret" over an empty message, Base64.
            body.put("timestamp", timestamp);
            body.put("sign", Base64.getEncoder().encodeToString(hmac(timestamp + "\n" + channel.secret(), new byte[0])));
        }
        body.put("msg_type", "text");
        body.put("content", Map.of("text", message.text().replace("**", "")));
        return body;
    }

    private HttpResponse<String> post(HttpRequest request) throws DeliveryFailure, InterruptedException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new DeliveryFailure("cannot reach " + request.uri().getHost() + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
    }

    private static URI uri(String url) throws DeliveryFailure {
        try {
            return URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new DeliveryFailure("the channel's URL is not valid");
        }
    }

    static byte[] hmac(String key, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
