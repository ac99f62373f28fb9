package io.opsbase.agent.collectors;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * {@code statvfs(3)} through the Foreign Function API, because Java's {@code FileStore} does not
 * report inodes. The layout is glibc's {@code struct statvfs} on 64-bit Linux (x86-64 and
 * AArch64: eleven 8-byte fields then six ints); elsewhere {@link #supported()} is false and the
 * caller falls back to what {@code FileStore} knows. Thread-safe.
 */
final class Statvfs {

    record Result(long fragmentSize, long blocks, long blocksFree, long blocksAvailable, long files, long filesFree) {

        long sizeBytes() {
            return blocks * fragmentSize;
        }

        long freeBytes() {
            return blocksFree * fragmentSize;
        }

        long availableBytes() {
            return blocksAvailable * fragmentSize;
        }
    }

    private static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("f_bsize"), JAVA_LONG.withName("f_frsize"), JAVA_LONG.withName("f_blocks"),
            JAVA_LONG.withName("f_bfree"), JAVA_LONG.withName("f_bavail"), JAVA_LONG.withName("f_files"),
            JAVA_LONG.withName("f_ffree"), JAVA_LONG.withName("f_favail"), JAVA_LONG.withName("f_fsid"),
            JAVA_LONG.withName("f_flag"), JAVA_LONG.withName("f_namemax"), MemoryLayout.sequenceLayout(6, JAVA_INT));
    private static final VarHandle FRSIZE = field("f_frsize");
    private static final VarHandle BLOCKS = field("f_blocks");
    private static final VarHandle BFREE = field("f_bfree");
    private static final VarHandle BAVAIL = field("f_bavail");
    private static final VarHandle FILES = field("f_files");
    private static final VarHandle FFREE = field("f_ffree");
    private static final boolean SUPPORTED = System.getProperty("os.name", "").equals("Linux") && ADDRESS.byteSize() == 8
            && (System.getProperty("os.arch").equals("amd64") || System.getProperty("os.arch").equals("aarch64"));
    private static final MethodHandle STATVFS = SUPPORTED ? handle() : null;

    private Statvfs() {
    }

    static boolean supported() {
        return SUPPORTED;
    }

    static Result of(String path) throws IOException {
        if (!SUPPORTED) {
            throw new IOException("statvfs is not available on this platform");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(LAYOUT);
            int rc = (int) STATVFS.invokeExact(arena.allocateFrom(path), buffer);
            if (rc != 0) {
                throw new IOException("statvfs(" + path + ") failed");
            }
            return new Result((long) FRSIZE.get(buffer, 0L), (long) BLOCKS.get(buffer, 0L), (long) BFREE.get(buffer, 0L),
                    (long) BAVAIL.get(buffer, 0L), (long) FILES.get(buffer, 0L), (long) FFREE.get(buffer, 0L));
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IOException("statvfs(" + path + ") failed", e);
        }
    }

    private static VarHandle field(String name) {
        return LAYOUT.varHandle(MemoryLayout.PathElement.groupElement(name));
    }

    private static MethodHandle handle() {
        Linker linker = Linker.nativeLinker();
        return linker.downcallHandle(linker.defaultLookup().find("statvfs").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    }
}
