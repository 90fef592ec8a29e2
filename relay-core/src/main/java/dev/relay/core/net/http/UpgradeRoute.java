package dev.relay.core.net.http;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;

/**
 * A {@link ControlRoute} that can also take a connection over with a protocol upgrade (the events
 * WebSocket). The server calls {@link #upgrade} instead of {@link ControlRoute#handle} when the
 * request asks for {@code Upgrade: websocket} and passed auth; a plain request still gets
 * {@code handle}.
 */
public interface UpgradeRoute extends ControlRoute {
    /**
     * Performs the handshake on the IO loop and, once it succeeds, installs the handlers that own
     * the connection from then on. The server removes its own HTTP handler when the returned
     * future succeeds and closes the connection when it fails. {@code request} is released by
     * the caller after this returns.
     */
    ChannelFuture upgrade(ChannelHandlerContext ctx, FullHttpRequest request, ControlRequest parsed);
}
