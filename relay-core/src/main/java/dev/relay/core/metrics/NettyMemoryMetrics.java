package dev.relay.core.metrics;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetric;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocatorMetric;
import io.netty.util.internal.PlatformDependent;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Netty's off-heap memory: what Netty's own direct-memory counter says, and what the default
 * allocator (adaptive in Netty 4.2) and the pooled allocator hold. Read at scrape time only.
 */
final class NettyMemoryMetrics {
    private NettyMemoryMetrics() {}

    static void register(PrometheusRegistry registry) {
        GaugeWithCallback.builder().name("relay_netty_direct_memory_used_bytes")
                .help("Direct memory Netty has reserved (PlatformDependent.usedDirectMemory)")
                .callback(cb -> {
                    long used = PlatformDependent.usedDirectMemory();
                    if (used >= 0) {
                        cb.call(used);
                    }
                })
                .register(registry);
        GaugeWithCallback.builder().name("relay_netty_direct_memory_max_bytes")
                .help("Direct memory limit Netty observes (io.netty.maxDirectMemory)")
                .callback(cb -> cb.call(PlatformDependent.maxDirectMemory()))
                .register(registry);

        Map<String, ByteBufAllocatorMetric> allocators = allocators();
        GaugeWithCallback.builder().name("relay_netty_allocator_used_bytes")
                .help("Memory held by a Netty allocator, by allocator and memory kind")
                .labelNames("allocator", "memory")
                .callback(cb -> allocators.forEach((name, metric) -> {
                    cb.call(metric.usedDirectMemory(), name, "direct");
                    cb.call(metric.usedHeapMemory(), name, "heap");
                }))
                .register(registry);

        PooledByteBufAllocatorMetric pooled = PooledByteBufAllocator.DEFAULT.metric();
        GaugeWithCallback.builder().name("relay_netty_pooled_arenas")
                .help("Arenas of the pooled allocator, by memory kind")
                .labelNames("memory")
                .callback(cb -> {
                    cb.call(pooled.numDirectArenas(), "direct");
                    cb.call(pooled.numHeapArenas(), "heap");
                })
                .register(registry);
        GaugeWithCallback.builder().name("relay_netty_pooled_thread_local_caches")
                .help("Thread-local caches of the pooled allocator")
                .callback(cb -> cb.call(pooled.numThreadLocalCaches()))
                .register(registry);
    }

    private static Map<String, ByteBufAllocatorMetric> allocators() {
        Map<String, ByteBufAllocatorMetric> out = new LinkedHashMap<>();
        if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider p) {
            out.put(label(ByteBufAllocator.DEFAULT), p.metric());
        }
        out.putIfAbsent(label(PooledByteBufAllocator.DEFAULT), PooledByteBufAllocator.DEFAULT.metric());
        return out;
    }

    /** {@code adaptive}, {@code pooled}, {@code unpooled}: the class name without its suffix. */
    private static String label(ByteBufAllocator allocator) {
        return allocator.getClass().getSimpleName().replace("ByteBufAllocator", "").toLowerCase(Locale.ROOT);
    }
}
