package io.opsbase.files;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The facade directly: bounded memory, concurrent identical uploads, a broken upload stream.
 *
 * <p>The store's streaming path holds a bounded amount of memory whatever the upload size: storing a
 * 300 MiB stream allocates (on the storing thread, as counted by the JVM) a small fraction of it.
 * Any code that collected the body into an array, or copied it through growing buffers, would
 * allocate at least the file's size and fail this.
 */
@SpringBootTest
class FileStoreTest {

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

    @Test
    void concurrentUploadsOfTheSameContentCreateItOnce() throws Exception {
        byte[] content = FileTransfers.content(2_000_000, 41);
        var gate = new CountDownLatch(1);
        var uploads = new ArrayList<Future<FileUpload>>();
        try (var threads = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < 8; i++) {
                String name = "same-" + i;
                uploads.add(threads.submit(() -> {
                    gate.await();
                    return store.store(new ByteArrayInputStream(content), name, null, "test");
                }));
            }
            gate.countDown();
            long created = 0;
            for (Future<FileUpload> f : uploads) {
                FileUpload upload = f.get();
                assertThat(upload.file().sha256()).isEqualTo(FileTransfers.sha256(content));
                created += upload.created() ? 1 : 0;
            }
            assertThat(created).isEqualTo(1);
        }
        try (InputStream in = store.open(FileTransfers.sha256(content))) {
            assertThat(in.readAllBytes()).isEqualTo(content);
        }
        assertThat(store.pendingUploads()).isZero();
    }

    @Test
    void anUploadWhoseStreamBreaksStoresNothing() {
        byte[] head = FileTransfers.content(500_000, 42);
        InputStream broken = new java.io.SequenceInputStream(new ByteArrayInputStream(head), new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("connection reset by peer");
            }
        });

        assertThatThrownBy(() -> store.store(broken, "broken.bin", null, "test")).isInstanceOf(UncheckedIOException.class);
        assertThat(store.find(FileTransfers.sha256(head))).isEmpty();
        assertThat(store.pendingUploads()).isZero();
    }
}
