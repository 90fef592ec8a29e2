package dev.relay.bench.fakes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.core.net.Json;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The HTTP side of {@link FakeSessionStream}: create, end and get over REST, and the upgrade of
 * {@code /voice/v1/stream/{streamId}?token=…} to an upload socket (after which
 * {@link FakeUploadHandler} takes the connection). Plays the REST-level faults.
 */
final class FakeSessionHttp extends SimpleChannelInboundHandler<FullHttpRequest> {
    static final String SESSIONS = "/voice/v1/sessions";
    static final String STREAM = "/voice/v1/stream/";
    private static final ObjectMapper JSON = Json.MAPPER;
    /** Envelope text is scanned for ASCII fields only: UTF-8 validation would be most of the cost. */
    private static final WebSocketDecoderConfig DECODER = WebSocketDecoderConfig.newBuilder()
            .maxFramePayloadLength(1 << 20).withUTF8Validator(false).build();

    private final FakeSessionStream server;

    FakeSessionHttp(FakeSessionStream server) {
        this.server = server;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        String path = uri.path();
        if (path.startsWith(STREAM) && request.method().equals(HttpMethod.GET)) {
            upgrade(ctx, request, path.substring(STREAM.length()), uri.parameters());
            return;
        }
        if (!path.startsWith(SESSIONS)) {
            json(ctx, request, 404, Map.of("error", "not found"));
            return;
        }
        if (!server.authorised(request.headers().get(server.apiKeyHeader()))) {
            json(ctx, request, 401, Map.of("error", "invalid api key"));
            return;
        }
        String rest = path.substring(SESSIONS.length());
        if (rest.isEmpty() && request.method().equals(HttpMethod.POST)) {
            create(ctx, request);
        } else if (rest.startsWith("/") && rest.endsWith("/end") && request.method().equals(HttpMethod.POST)) {
            end(ctx, request, rest.substring(1, rest.length() - "/end".length()));
        } else if (rest.startsWith("/") && rest.indexOf('/', 1) < 0 && request.method().equals(HttpMethod.GET)) {
            get(ctx, request, rest.substring(1));
        } else {
            json(ctx, request, 404, Map.of("error", "not found"));
        }
    }

    private void create(ChannelHandlerContext ctx, FullHttpRequest request) {
        String body = request.content().toString(StandardCharsets.UTF_8);
        JsonNode tree;
        try {
            tree = JSON.readTree(body);
        } catch (IOException e) {
            tree = null;
        }
        if (tree == null || !"stream".equals(tree.path("upload_type").asText())) {
            json(ctx, request, 400, Map.of("error", "upload_type must be \"stream\""));
            return;
        }
        if (server.takeCreateFailure()) {
            json(ctx, request, 503, Map.of("error", "temporarily unavailable"));
            return;
        }
        if (server.garbage() == FakeSessionStream.Garbage.CREATE) {
            text(ctx, request, 200, "text/html", "<html><body>Welcome to nginx!</body></html>");
            return;
        }
        FakeSession s = server.newSession(body);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("session_id", s.id());
        answer.put("upload_type", "stream");
        answer.put("upload_url", server.uploadUrl(s));
        answer.put("status", "created");
        json(ctx, request, 201, answer);
    }

    private void end(ChannelHandlerContext ctx, FullHttpRequest request, String id) {
        FakeSession s = server.session(id);
        if (s == null) {
            json(ctx, request, 404, Map.of("error", "no such session"));
            return;
        }
        int status = server.endStatus(s.endCalled());
        if (status / 100 == 2) {
            s.markEnded();
            json(ctx, request, status, Map.of("session_id", id, "status", status == 202 ? "processing" : "ended"));
        } else {
            json(ctx, request, status, Map.of("error", "end failed (fake fault)"));
        }
    }

    private void get(ChannelHandlerContext ctx, FullHttpRequest request, String id) {
        FakeSession s = server.session(id);
        if (s == null) {
            json(ctx, request, 404, Map.of("error", "no such session"));
            return;
        }
        int poll = s.polled();
        if (!s.ended()) {
            json(ctx, request, 202, Map.of("session_id", id, "status", "streaming"));
        } else if (poll <= server.pendingPolls()) {
            json(ctx, request, 202, Map.of("session_id", id, "status", "processing"));
        } else if (server.garbage() == FakeSessionStream.Garbage.RESULT) {
            text(ctx, request, 200, "text/plain", "result: <<not json>>");
        } else {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("session_id", id);
            result.put("status", "completed");
            result.put("wire", s.wire().name().toLowerCase(Locale.ROOT));
            result.put("connections", s.connections());
            result.put("frames", s.frames());
            result.put("audio_bytes", s.audioBytes());
            result.put("audio_ms", s.audioBytes() / 32);
            result.put("chunks", List.of(Map.of("index", 0, "transcript", "fake transcript")));
            json(ctx, request, 200, result);
        }
    }

    private void upgrade(ChannelHandlerContext ctx, FullHttpRequest request, String streamId,
            Map<String, List<String>> query) {
        if (server.garbage() == FakeSessionStream.Garbage.UPLOAD) {
            // Past the HTTP encoder, which would refuse raw bytes in place of a response.
            ctx.pipeline().remove(HttpServerCodec.class);
            ctx.channel().writeAndFlush(Unpooled.copiedBuffer("\u0000\u0007garbage, not HTTP\r\n\r\n",
                    StandardCharsets.ISO_8859_1)).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        int reject = server.rejectUploads();
        if (reject != 0) {
            json(ctx, request, reject, Map.of("error", "upload refused (fake fault)"));
            return;
        }
        FakeSession s = server.sessionByStream(streamId);
        List<String> token = query.get("token");
        if (s == null || token == null || !token.contains(s.token())) {
            json(ctx, request, 403, Map.of("error", "unknown stream or bad token"));
            return;
        }
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(
                "ws://" + request.headers().get(HttpHeaderNames.HOST) + request.uri(), null, DECODER)
                .newHandshaker(request);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            return;
        }
        handshaker.handshake(ctx.channel(), request);
        FakeUploadHandler upload = new FakeUploadHandler(server, s);
        // Audio frames reach the handler as views, without Netty's frame objects (see ClientFrameReader).
        ctx.pipeline().replace("wsdecoder", "ws-frames", new ClientFrameReader(DECODER.maxFramePayloadLength(),
                upload));
        ctx.pipeline().replace(this, "upload", upload);
    }

    private static void json(ChannelHandlerContext ctx, FullHttpRequest request, int status, Map<String, ?> body) {
        try {
            text(ctx, request, status, "application/json", JSON.writeValueAsString(body));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void text(ChannelHandlerContext ctx, FullHttpRequest request, int status, String type, String body) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(status),
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, type)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(response);
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
