package io.opsbase.agents.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;

import org.junit.jupiter.api.Test;

class AgentSignatureFilterBodyTest {

    private static final int MAX = 64 * 1024;

    @Test
    void readsABodilessPollWithoutAskingForAFullBuffer() throws IOException {
        var noLength = new RecordingStream(new byte[0]);
        assertThat(AgentSignatureFilter.readBounded(noLength, -1, MAX)).isEmpty();
        assertThat(noLength.largestRead).isLessThanOrEqualTo(512);

        var zeroLength = new RecordingStream(new byte[0]);
        assertThat(AgentSignatureFilter.readBounded(zeroLength, 0, MAX)).isEmpty();
        assertThat(zeroLength.largestRead).isLessThanOrEqualTo(1);
    }

    @Test
    void readsBodiesOfEverySizeUpToTheLimitByteForByte() throws IOException {
        var random = new Random(3);
        for (int size : new int[] {1, 511, 512, 513, 5_000, 16_384, 40_000, MAX - 1, MAX}) {
            byte[] body = new byte[size];
            random.nextBytes(body);
            assertThat(AgentSignatureFilter.readBounded(new RecordingStream(body), -1, MAX)).as("undeclared %d", size).isEqualTo(body);
            assertThat(AgentSignatureFilter.readBounded(new RecordingStream(body), size, MAX)).as("declared %d", size).isEqualTo(body);
        }
    }

    @Test
    void returnsOneByteMoreThanTheLimitForALargerBody() throws IOException {
        byte[] body = new byte[MAX + 10];
        assertThat(AgentSignatureFilter.readBounded(new RecordingStream(body), -1, MAX)).hasSize(MAX + 1);
        assertThat(AgentSignatureFilter.readBounded(new RecordingStream(body), MAX + 10, MAX)).hasSize(MAX + 1);
        // a client that declares less than it sends is read past its declaration, up to the limit
        assertThat(AgentSignatureFilter.readBounded(new RecordingStream(body), 100, MAX)).hasSize(MAX + 1);
    }

    /** Remembers the largest read asked of it: the size of the buffer the reader allocated. */
    private static final class RecordingStream extends InputStream {
        private final ByteArrayInputStream data;
        int largestRead;

        RecordingStream(byte[] data) {
            this.data = new ByteArrayInputStream(data);
        }

        @Override
        public int read() {
            largestRead = Math.max(largestRead, 1);
            return data.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            largestRead = Math.max(largestRead, len);
            return data.read(b, off, len);
        }
    }
}
