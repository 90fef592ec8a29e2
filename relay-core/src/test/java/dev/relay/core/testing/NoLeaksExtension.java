package dev.relay.core.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Registered for every test class (junit-platform.properties): after the class, forces the leak
 * detector (paranoid in tests) to report what the GC found unreleased, and fails on any report.
 */
public final class NoLeaksExtension implements AfterAllCallback {
    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        for (int round = 0; round < 3; round++) {
            System.gc();
            Thread.sleep(20);
            // Reports are emitted when the detector next tracks a buffer.
            for (int i = 0; i < 64; i++) {
                ByteBuf a = PooledByteBufAllocator.DEFAULT.directBuffer(16);
                ByteBuf b = Unpooled.directBuffer(16);
                a.release();
                b.release();
            }
        }
        List<String> leaks = LeakRecorder.drain();
        if (!leaks.isEmpty()) {
            throw new AssertionError(leaks.size() + " ByteBuf leak(s) reported during "
                    + context.getDisplayName() + ":\n" + String.join("\n", leaks));
        }
    }
}
