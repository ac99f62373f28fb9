package io.opsbase.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The store's streaming path holds a bounded amount of memory whatever the upload size: storing a
 * 300 MiB stream allocates (on the storing thread, as counted by the JVM) a small fraction of it.
 * Any code that collected the body into an array, or copied it through growing buffers, would
 * allocate at least the file's size and fail this.
 */
@SpringBootTest
class FileStoreStreamingTest {

    static final long SIZE = 300L << 20;

    @Autowired
    FileStore store;

    @Test
    void storesA300MegabyteStreamAllocatingFarLessThanItsSize() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        var stream = new FileTransfers.GeneratedStream(SIZE);
        long tid = Thread.currentThread().threadId();
        long before = threads.getThreadAllocatedBytes(tid);

        FileUpload upload = store.store(stream, "big.bin", null, "test");

        long allocated = threads.getThreadAllocatedBytes(tid) - before;
        assertThat(upload.created()).isTrue();
        assertThat(upload.file().size()).isEqualTo(SIZE);
        assertThat(upload.file().sha256()).isEqualTo(stream.sha256());
        assertThat(allocated).as("bytes allocated while storing %d bytes", SIZE).isLessThan(SIZE / 20);
        assertThat(store.pendingUploads()).isZero();
    }
}
