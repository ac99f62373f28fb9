package io.opsbase.agents.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AgentChannelTest {

    private final AgentChannel channel = new AgentChannel();

    @Test
    void handsACommittedTaskToTheWaitingPoll() {
        var poll = channel.await(7);

        assertThat(channel.deliver(7, 42, "{\"task\":{}}")).isTrue();
        assertThat(poll.join()).isEqualTo(new AgentChannel.Wake(42, "{\"task\":{}}"));
        assertThat(channel.openPolls()).isZero();
    }

    @Test
    void aTaskNoPollTookStaysForTheNextPollToRead() {
        assertThat(channel.deliver(7, 42, "{}")).isFalse();

        var ended = channel.await(7);
        ended.cancel(false);
        assertThat(channel.deliver(7, 43, "{}")).as("a poll that already ended takes nothing").isFalse();

        var woken = channel.await(7);
        woken.complete(AgentChannel.Wake.READ);
        assertThat(channel.deliver(7, 44, "{}")).as("a poll already woken takes nothing more").isFalse();
    }

    @Test
    void aNewerPollOfTheSameAgentTakesTheTaskAndTheOlderIsCancelled() {
        var older = channel.await(7);
        var newer = channel.await(7);

        assertThat(channel.deliver(7, 42, "{}")).isTrue();
        assertThat(older).isCancelled();
        assertThat(newer.join().taskId()).isEqualTo(42);
    }

    @Test
    void aWakeWithoutATaskTellsThePollToRead() {
        var poll = channel.await(7);
        channel.wake(7);

        assertThat(poll.join()).isSameAs(AgentChannel.Wake.READ);
        assertThat(poll.join().signedTask()).isNull();
    }
}
