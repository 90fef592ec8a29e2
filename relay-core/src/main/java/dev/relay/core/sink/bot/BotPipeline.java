package dev.relay.core.sink.bot;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker13;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.ssl.SslContext;

/**
 * The whole client pipeline of one bot connection, built in one place: TLS for {@code wss://} (SNI
 * and host-name check against the URL's host), HTTP for the upgrade (with the token header), the
 * WebSocket protocol handler (pings answered, pongs dropped, close frames left to the connection),
 * an aggregator for fragmented messages up to {@code max-message-bytes}, then the connection.
 */
final class BotPipeline {
    private BotPipeline() {}

    static void build(Channel ch, BotSinkFactory factory, long closeTimeoutMs, ChannelHandler connection) {
        BotConfig config = factory.config();
        ChannelPipeline p = ch.pipeline();
        SslContext ssl = factory.ssl();
        if (ssl != null) {
            p.addLast(ssl.newHandler(ch.alloc(), factory.resolver().host(), factory.resolver().port()));
        }
        HttpHeaders headers = new DefaultHttpHeaders();
        String token = config.tokenValue();
        if (token != null) {
            headers.set(config.tokenHeader(), token);
        }
        WebSocketClientProtocolConfig ws = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(config.url())
                .version(WebSocketVersion.V13)
                .customHeaders(headers)
                .maxFramePayloadLength(config.maxMessageBytes())
                .forceCloseTimeoutMillis(closeTimeoutMs)
                .handleCloseFrames(false)
                // Closing the channel sends no close frame of its own: the call's end says 1000, a
                // protocol error its status, a dead peer gets none.
                .sendCloseFrame(null)
                .dropPongFrames(true)
                .handshakeTimeoutMillis(config.stream().connectTimeoutMs())
                .build();
        p.addLast(new HttpClientCodec(), new HttpObjectAggregator(16 * 1024),
                new WebSocketClientProtocolHandler(new Handshaker(ws), ws),
                new WebSocketFrameAggregator(config.maxMessageBytes()), connection);
    }

    /**
     * RFC 6455 version 13 with one change: a frame the decoder refuses (over the size limit, broken
     * framing) is only reported, not answered by the decoder itself, whose close frame would bypass
     * the encoder that sits after it in a client pipeline and never leave. The connection says
     * goodbye with the right status instead, and counts the frame.
     */
    private static final class Handshaker extends WebSocketClientHandshaker13 {
        Handshaker(WebSocketClientProtocolConfig c) {
            super(c.webSocketUri(), WebSocketVersion.V13, c.subprotocol(), c.allowExtensions(), c.customHeaders(),
                    c.maxFramePayloadLength(), c.performMasking(), c.allowMaskMismatch(), c.forceCloseTimeoutMillis());
        }

        @Override
        protected WebSocketFrameDecoder newWebsocketDecoder() {
            return new WebSocket13FrameDecoder(WebSocketDecoderConfig.newBuilder()
                    .expectMaskedFrames(false)
                    .allowMaskMismatch(isAllowMaskMismatch())
                    .allowExtensions(isAllowExtensions())
                    .maxFramePayloadLength(maxFramePayloadLength())
                    .closeOnProtocolViolation(false)
                    .build());
        }
    }
}
