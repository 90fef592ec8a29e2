package dev.relay.bench.load;

import dev.relay.bench.fakes.FakeSessionStream;
import dev.relay.bench.fakes.FakeSocketIoServer;
import dev.relay.bench.fakes.FakeTls;
import dev.relay.core.net.Transport;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sinks under test: for each, the fake server the relay streams to (in this process, on event
 * loops of its own, {@code --fake-loops}), the meter its arrivals go to, the route entry and the
 * relay config that points the sink at the fake.
 */
final class SinkFakes implements AutoCloseable {
    /** What the fakes tell the relay as credentials; never checked. */
    static final String TOKEN = "loadtest-token";
    /** The create-session body field the relay is told to put the call id in, to match sessions to calls. */
    static final String CALL_ID_FIELD = "relay_call_id";
    private static final Pattern CALL_ID = Pattern.compile("\"" + CALL_ID_FIELD + "\"\\s*:\\s*\"([^\"]+)\"");

    final List<SinkMeter> meters = new ArrayList<>();
    final List<String> routeSinks = new ArrayList<>();
    final List<String> configBlocks = new ArrayList<>();
    final List<String> endpoints = new ArrayList<>();
    /** JVM options the relay needs to reach the fakes (the trust store with --sink-tls). */
    final List<String> relayJvm = new ArrayList<>();
    private final List<AutoCloseable> servers = new ArrayList<>();
    private final List<EventLoopGroup> groups = new ArrayList<>();
    private final Transport transport;
    private SinkMeter probe;
    private FakeSocketIoServer aiola;
    private FakeSessionStream sessionStream;
    private SslContext ssl;

    private SinkFakes(Transport transport) {
        this.transport = transport;
    }

    /**
     * @param calls the simulated call for a call id, or null
     */
    static SinkFakes start(LoadOptions o, Transport transport, Function<String, SimCall> calls)
            throws InterruptedException, IOException {
        SinkFakes fakes = new SinkFakes(transport);
        try {
            if (o.sinkTls) {
                Path dir = o.out.resolve("tls");
                fakes.ssl = FakeTls.server(dir);
                fakes.relayJvm.addAll(List.of("-Djavax.net.ssl.trustStore=" + FakeTls.keystore(dir).toAbsolutePath(),
                        "-Djavax.net.ssl.trustStorePassword=" + FakeTls.PASSWORD,
                        "-Djavax.net.ssl.trustStoreType=PKCS12"));
            }
            for (String sink : o.sinks) {
                fakes.routeSinks.add(sink);
                switch (sink) {
                    case "aiola" -> fakes.startAiola(o, calls);
                    case "session-stream" -> fakes.startSessionStream(o, calls);
                    case "probe" -> fakes.probe = fakes.meter("probe");
                    case "recorder" -> { }
                    default -> throw new LoadOptions.BadArgument("sink '" + sink + "' has no fake in this build");
                }
            }
        } catch (RuntimeException | InterruptedException | IOException e) {
            fakes.close();
            throw e;
        }
        return fakes;
    }

    private SinkMeter meter(String name) {
        SinkMeter m = new SinkMeter(name, meters.size());
        meters.add(m);
        return m;
    }

    /** The aiOla fake, or null when aiola is not among the sinks. */
    FakeSocketIoServer aiola() {
        return aiola;
    }

    /** The session-stream fake, or null when session-stream is not among the sinks. */
    FakeSessionStream sessionStream() {
        return sessionStream;
    }

    /** The index of the meter named {@code name}, or -1. */
    int meterIndex(String name) {
        for (SinkMeter m : meters) {
            if (m.name().equals(name)) {
                return m.index();
            }
        }
        return -1;
    }

    /** The probe sink's meter (in-process relay only), or null. */
    SinkMeter probe() {
        return probe;
    }

    private void startAiola(LoadOptions o, Function<String, SimCall> calls) throws InterruptedException {
        SinkMeter meter = meter("aiola");
        // Its own loops: arrivals are stamped when read, so they must not queue behind the calls' sends.
        EventLoopGroup group = transport.newGroup(o.fakeLoops,
                new DefaultThreadFactory(GeneratorAllocation.FAKES + "-aiola"));
        groups.add(group);
        FakeSocketIoServer server = FakeSocketIoServer.start(group, o.aiolaPort,
                new FakeSocketIoServer.Options().ssl(ssl),
                new FakeSocketIoServer.Listener() {
                    @Override
                    public void onConnect(FakeSocketIoServer.Connection c) {
                        SimCall call = calls.apply(c.query().get("execution_id"));
                        c.tag(call);
                        if (call != null) {
                            meter.connected(call);
                        }
                    }

                    @Override
                    public void onBinary(FakeSocketIoServer.Connection c, String event, ByteBuf audio,
                            long arrivalNanos) {
                        SimCall call = (SimCall) c.tag();
                        if (call == null) {
                            meter.unknownCall();
                        } else {
                            // PCM16 LE 16 kHz: two bytes a sample.
                            meter.onAudio(call, audio.readableBytes() >> 1, audio.readableBytes(), arrivalNanos);
                        }
                    }
                });
        servers.add(server);
        aiola = server;
        endpoints.add("aiola fake: " + server.url() + FakeSocketIoServer.DEFAULT_PATH + " (namespace /events)");
        configBlocks.add("relay.sinks.aiola.url = \"" + server.url() + "\"\n"
                + "relay.sinks.aiola.token = \"" + TOKEN + "\""
                + (o.chunkMs > 0 ? "\nrelay.sinks.aiola.chunk-ms = " + o.chunkMs : ""));
    }

    private void startSessionStream(LoadOptions o, Function<String, SimCall> calls) throws InterruptedException {
        SinkMeter meter = meter("session-stream");
        Map<String, SimCall> bySession = new ConcurrentHashMap<>();
        FakeSessionStream server = FakeSessionStream.builder()
                .port(o.sessionPort)
                .threads(o.fakeLoops)
                .transport(transport)
                .threadFactory(new DefaultThreadFactory(GeneratorAllocation.FAKES + "-session"))
                .recordAudio(false)
                .listener((session, offsetSamples, timestampMs, pcm, arrivalNanos) -> {
                    SimCall call = bySession.get(session.id());
                    if (call == null) {
                        call = callOf(session.createBody(), calls);
                        if (call == null) {
                            meter.unknownCall();
                            return;
                        }
                        bySession.put(session.id(), call);
                    }
                    // PCM16 LE 16 kHz on either wire (the fake decodes the envelope's base64).
                    // The envelope's timestamp (ms of the call's timeline) places audio after a gap.
                    meter.onAudio(call, timestampMs < 0 ? -1 : timestampMs * 16, pcm.readableBytes() >> 1,
                            pcm.readableBytes(), arrivalNanos);
                })
                .start();
        servers.add(server);
        sessionStream = server;
        endpoints.add("session-stream fake: " + server.baseUrl() + "/voice/v1/sessions");
        configBlocks.add("relay.sinks.session-stream.base-url = \"" + server.baseUrl() + "\"\n"
                + "relay.sinks.session-stream.api-key = \"" + TOKEN + "\"\n"
                + "relay.sinks.session-stream.call-id-field = \"" + CALL_ID_FIELD + "\"");
    }

    /** The call named in a create-session body ({@code "relay_call_id":"…"}), or null. */
    static SimCall callOf(String createBody, Function<String, SimCall> calls) {
        Matcher m = CALL_ID.matcher(createBody == null ? "" : createBody);
        return m.find() ? calls.apply(m.group(1)) : null;
    }

    @Override
    public void close() {
        for (AutoCloseable s : servers) {
            try {
                s.close();
            } catch (Exception e) {
                // closing anyway
            }
        }
        for (EventLoopGroup g : groups) {
            g.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
