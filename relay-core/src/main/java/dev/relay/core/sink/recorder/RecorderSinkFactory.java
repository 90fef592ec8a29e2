package dev.relay.core.sink.recorder;

import dev.relay.core.config.RecorderConfig;
import dev.relay.core.sink.CallContext;
import dev.relay.core.sink.Sink;
import dev.relay.core.sink.SinkFactory;

/** {@code recorder}: one WAV per call under {@code relay.sinks.recorder.dir} (SPEC §5.4). */
public final class RecorderSinkFactory implements SinkFactory {
    private final RecorderConfig config;
    private final RecorderWriter writer;

    public RecorderSinkFactory(RecorderConfig config) {
        this.config = config;
        this.writer = new RecorderWriter(config.dir());
    }

    @Override
    public String name() {
        return "recorder";
    }

    @Override
    public Sink create(CallContext call) {
        return new RecorderSink(config, writer);
    }

    @Override
    public void shutdown(long timeoutMs) {
        writer.stop(timeoutMs);
    }
}
