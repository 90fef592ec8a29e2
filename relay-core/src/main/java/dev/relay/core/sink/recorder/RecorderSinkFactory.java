package dev.relay.core.sink.recorder;

import dev.relay.core.config.RecorderConfig;
import dev.relay.core.sink.CallContext;
import dev.relay.core.sink.Sink;
import dev.relay.core.sink.SinkFactory;

/**
 * {@code recorder}: one WAV per call under {@code relay.sinks.recorder.dir} (SPEC §5.4). Built at
 * start-up, it first repairs the files an earlier run left unclosed there ({@link RecordingFiles});
 * then one writer thread ({@link RecorderWriter}) serves every call. Thread-safe.
 */
public final class RecorderSinkFactory implements SinkFactory {
    private final RecorderConfig config;
    private final RecorderWriter writer;

    public RecorderSinkFactory(RecorderConfig config) {
        this(config, RecordingFiles.CREATE_NEW);
    }

    /** With another way to create files (tests: a full disk). Blocks while it repairs the directory. */
    RecorderSinkFactory(RecorderConfig config, RecordingFiles.Opener opener) {
        this.config = config;
        RecordingFiles files = new RecordingFiles(config.dir(), opener);
        files.repairUnclosed();
        this.writer = new RecorderWriter(files, config.syncIntervalMs());
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
