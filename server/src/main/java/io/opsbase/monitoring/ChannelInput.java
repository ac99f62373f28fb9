package io.opsbase.monitoring;

/**
 * The body of {@code POST/PUT /api/v1/notification-channels}: {@code type} webhook, email,
 * dingtalk, wecom, feishu or slack; {@code target} the URL (e-mail: comma-separated addresses);
 * {@code secret} the signing secret where the type has one (webhook: HMAC key; DingTalk and Feishu:
 * the robot's signing secret). On update, a null target or secret keeps the stored one.
 */
public record ChannelInput(String name, String type, String target, String secret, String minSeverity, String groupWait,
        String repeatEvery, Boolean enabled) {

    @Override
    public String toString() {
        return "ChannelInput[name=" + name + ", type=" + type + ", target=<hidden>, secret=<hidden>]";
    }
}
